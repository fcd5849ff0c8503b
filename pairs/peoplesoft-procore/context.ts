import { MappingError, type FlowContext } from '../../activities/flows/types';
import { createPeopleSoftConnector, peopleSoftEndpointSchema, type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { createSoapCaller, type PeopleSoftSoapCaller } from '../../connectors/peoplesoft/soap-client';
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
export function pairContext(ctx: FlowContext): PairContext {
  const config = peopleSoftProcoreConfigSchema.parse(ctx.connection.config);
  const creds = peopleSoftProcoreCredentialsSchema.safeParse(ctx.credentials);
  // zod issues can echo the offending value; for credentials only the paths are safe to report.
  if (!creds.success) throw new MappingError(`connection ${ctx.connection.id}: credentials are incomplete (${creds.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  const { vendorSetId: _v, businessUnit: _b, ledger: _l, ...endpoint } = config.peoplesoft;
  const psEndpoint = { ...endpoint, auth: creds.data.peoplesoft };
  return {
    connectionId: ctx.connection.id,
    config,
    peoplesoft: createPeopleSoftConnector(psEndpoint, { telemetry: ctx.telemetry }),
    peoplesoftSoap: createSoapCaller(peopleSoftEndpointSchema.parse(psEndpoint), undefined, ctx.telemetry),
    procore: createProcoreConnector(config.procore, creds.data.procore, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('procore') }),
  };
}
