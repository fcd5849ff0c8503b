import { MappingError, type FlowContext } from '../../activities/flows/types';
import { createJaggaerConnector, type JaggaerConnector } from '../../connectors/jaggaer';
import { createPeopleSoftConnector, peopleSoftEndpointSchema, type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { createSoapCaller, type PeopleSoftSoapCaller } from '../../connectors/peoplesoft/soap-client';
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
export function pairContext(ctx: FlowContext): PairContext {
  const config = peopleSoftJaggaerConfigSchema.parse(ctx.connection.config);
  const creds = peopleSoftJaggaerCredentialsSchema.safeParse(ctx.credentials);
  // zod issues can echo the offending value; for credentials only the paths are safe to report.
  if (!creds.success) throw new MappingError(`connection ${ctx.connection.id}: credentials are incomplete (${creds.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  const { vendorSetId: _s, defaultBusinessUnit: _b, accountSetId: _a, ...endpoint } = config.peoplesoft;
  const psEndpoint = { ...endpoint, auth: creds.data.peoplesoft };
  return {
    connectionId: ctx.connection.id,
    config,
    peoplesoft: createPeopleSoftConnector(psEndpoint, { telemetry: ctx.telemetry }),
    peoplesoftSoap: createSoapCaller(peopleSoftEndpointSchema.parse(psEndpoint), undefined, ctx.telemetry),
    jaggaer: createJaggaerConnector({ ...config.jaggaer, auth: creds.data.jaggaer }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('jaggaer') }),
  };
}
