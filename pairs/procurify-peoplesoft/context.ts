import { MappingError, type FlowContext } from '../../activities/flows/types';
import { createPeopleSoftConnector, type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { createProcurifyConnector, type ProcurifyConnector } from '../../connectors/procurify';
import { procurifyPeopleSoftConfigSchema, procurifyPeopleSoftCredentialsSchema, type ProcurifyPeopleSoftConfig } from './config';

export interface PairContext {
  connectionId: string;
  config: ProcurifyPeopleSoftConfig;
  procurify: ProcurifyConnector;
  peoplesoft: PeopleSoftConnector;
}

/**
 * Config and decrypted credentials parsed once per activity, both connectors bound. The Procurify token lives in
 * oauth_tokens (side `procurify`) so every activity and worker shares one grant per 24 hours.
 */
export function pairContext(ctx: FlowContext): PairContext {
  const config = procurifyPeopleSoftConfigSchema.parse(ctx.connection.config);
  const creds = procurifyPeopleSoftCredentialsSchema.safeParse(ctx.credentials);
  // zod issues can echo the offending value; for credentials only the paths are safe to report.
  if (!creds.success) throw new MappingError(`connection ${ctx.connection.id}: credentials are incomplete (${creds.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  return {
    connectionId: ctx.connection.id,
    config,
    procurify: createProcurifyConnector({ ...config.procurify, auth: creds.data.procurify }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('procurify') }),
    peoplesoft: createPeopleSoftConnector({ ...config.peoplesoft, auth: creds.data.peoplesoft }, { telemetry: ctx.telemetry }),
  };
}
