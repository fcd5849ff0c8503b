import { createJaggaerConnector, type JaggaerConnector } from '../../connectors/jaggaer';
import { type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { pairCredentials, peopleSoftFor, oncePerContext } from '../pair-context';
import { type PeopleSoftSoapCaller } from '../../connectors/peoplesoft/soap-client';
import { peopleSoftJaggaerConfigSchema, peopleSoftJaggaerCredentialsSchema, type PeopleSoftJaggaerConfig } from './config';

export interface PairContext {
  connectionId: string;
  config: PeopleSoftJaggaerConfig;
  peoplesoft: PeopleSoftConnector;
  jaggaer: JaggaerConnector;
  /** CI Gets the connector does not wrap (a vendor, a PO, a voucher by key): reference checks and read-backs. */
  peoplesoftSoap: PeopleSoftSoapCaller;
}

/**
 * Parses the connection's config and decrypted credentials once per activity and binds both connectors; JAGGAER's
 * short-lived tokens go through the shared encrypted store (oauth_tokens, side `jaggaer`), one grant for all workers.
 */
export const pairContext = oncePerContext((ctx): PairContext => {
  const config = peopleSoftJaggaerConfigSchema.parse(ctx.connection.config);
  const creds = pairCredentials(ctx, peopleSoftJaggaerCredentialsSchema);
  const { vendorSetId: _s, defaultBusinessUnit: _b, accountSetId: _a, ...endpoint } = config.peoplesoft;
  const peoplesoft = peopleSoftFor(ctx, { ...endpoint, auth: creds.peoplesoft });
  return {
    connectionId: ctx.connection.id,
    config,
    peoplesoft,
    peoplesoftSoap: peoplesoft.soap,
    jaggaer: createJaggaerConnector({ ...config.jaggaer, auth: creds.jaggaer }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('jaggaer') }),
  };
});
