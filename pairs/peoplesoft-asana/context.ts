import { type FlowContext } from '../../activities/flows/types';
import { type Db } from '../../db/pool';
import { createAsanaConnector, type AsanaConnector } from '../../connectors/asana';
import { type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { pairCredentials, peopleSoftFor, oncePerContext } from '../pair-context';
import { peopleSoftAsanaConfigSchema, peopleSoftAsanaCredentialsSchema, type PeopleSoftAsanaConfig } from './config';

export interface PairContext {
  connectionId: string;
  config: PeopleSoftAsanaConfig;
  peoplesoft: PeopleSoftConnector;
  asana: AsanaConnector;
  /** The same Asana credentials (and token store) bound to another project of the workspace, e.g. the roster project. */
  asanaProject(projectGid: string): AsanaConnector;
}

/**
 * Parses the connection's config and decrypted credentials once per activity and binds both connectors. A config that
 * does not parse is a configuration error, not a record error: it fails the activity with the zod message (which
 * names fields, never values of the credential sides, because those are parsed separately and their issues dropped).
 */
export const pairContext = oncePerContext((ctx): PairContext => {
  const config = peopleSoftAsanaConfigSchema.parse(ctx.connection.config);
  const creds = pairCredentials(ctx, peopleSoftAsanaCredentialsSchema);
  return {
    connectionId: ctx.connection.id,
    config,
    peoplesoft: peopleSoftFor(ctx, { ...config.peoplesoft, auth: creds.peoplesoft }),
    asana: createAsanaConnector({ ...config.asana, auth: creds.asana }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('asana') }),
    asanaProject: (projectGid) => createAsanaConnector({ ...config.asana, projectGid, auth: creds.asana }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('asana') }),
  };
});

/** The roster lives in our database: flows that read or write it run only where the engine hands them the pool. */
export function requirePool(ctx: FlowContext): Db {
  if (!ctx.pool) throw new Error(`connection ${ctx.connection.id}: the roster needs the database, which this caller did not provide`);
  return ctx.pool;
}
