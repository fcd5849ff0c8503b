import { type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { pairCredentials, peopleSoftFor, oncePerContext } from '../pair-context';
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
export const pairContext = oncePerContext((ctx): PairContext => {
  const config = procurifyPeopleSoftConfigSchema.parse(ctx.connection.config);
  const creds = pairCredentials(ctx, procurifyPeopleSoftCredentialsSchema);
  return {
    connectionId: ctx.connection.id,
    config,
    procurify: createProcurifyConnector({ ...config.procurify, auth: creds.procurify }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('procurify') }),
    peoplesoft: peopleSoftFor(ctx, { ...config.peoplesoft, auth: creds.peoplesoft }),
  };
});
