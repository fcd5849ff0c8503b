import { type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { pairCredentials, peopleSoftFor, oncePerContext } from '../pair-context';
import { type PeopleSoftSoapCaller } from '../../connectors/peoplesoft/soap-client';
import { createProcoreConnector, type ProcoreConnector } from '../../connectors/procore';
import { peopleSoftProcoreConfigSchema, peopleSoftProcoreCredentialsSchema, type PeopleSoftProcoreConfig } from './config';

export interface PairContext {
  connectionId: string;
  config: PeopleSoftProcoreConfig;
  peoplesoft: PeopleSoftConnector;
  procore: ProcoreConnector;
  /** CI Gets the connector does not wrap (a PO by key, a voucher read back): requisitions read their PO's vendor. */
  peoplesoftSoap: PeopleSoftSoapCaller;
}

/**
 * Config and decrypted credentials parsed once per activity, both connectors bound. The DMSA token lives in
 * oauth_tokens (side `procore`): one token for every activity and worker, refreshed once before it expires.
 */
export const pairContext = oncePerContext((ctx): PairContext => {
  const config = peopleSoftProcoreConfigSchema.parse(ctx.connection.config);
  const creds = pairCredentials(ctx, peopleSoftProcoreCredentialsSchema);
  const { vendorSetId: _v, businessUnit: _b, ledger: _l, ...endpoint } = config.peoplesoft;
  const peoplesoft = peopleSoftFor(ctx, { ...endpoint, auth: creds.peoplesoft });
  return {
    connectionId: ctx.connection.id,
    config,
    peoplesoft,
    peoplesoftSoap: peoplesoft.soap,
    procore: createProcoreConnector(config.procore, creds.procore, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('procore') }),
  };
});
