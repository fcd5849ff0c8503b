import { MappingError } from '../../activities/flows/types';
import { createJiraConnector, type JiraConnector } from '../../connectors/jira';
import { type PeopleSoftConnector } from '../../connectors/peoplesoft';
import { pairCredentials, peopleSoftFor, oncePerContext } from '../pair-context';
import { DOCUMENT_KINDS, peopleSoftJiraConfigSchema, peopleSoftJiraCredentialsSchema, type DocumentKind, type LogicalField, type PeopleSoftJiraConfig, type PeopleSoftJiraCredentials } from './config';

export interface SiteIds {
  fields: Record<LogicalField, string>;
  issueTypes: Record<DocumentKind, string>;
}

export interface PairContext {
  connectionId: string;
  config: PeopleSoftJiraConfig;
  credentials: PeopleSoftJiraCredentials;
  peoplesoft: PeopleSoftConnector;
  jira: JiraConnector;
  /** Custom field and issue type ids of this site, resolved by name once per activity (they differ per site). */
  siteIds(): Promise<SiteIds>;
}

/** Parses config and credentials once per activity and binds both connectors (credential issues name paths only). */
export const pairContext = oncePerContext((ctx): PairContext => {
  const config = peopleSoftJiraConfigSchema.parse(ctx.connection.config);
  const creds = pairCredentials(ctx, peopleSoftJiraCredentialsSchema);
  const jira = createJiraConnector({ ...config.jira, auth: creds.jira }, { telemetry: ctx.telemetry, tokenStore: ctx.oauthTokens?.('jira') });
  let ids: Promise<SiteIds> | undefined;
  return {
    connectionId: ctx.connection.id,
    config,
    credentials: creds,
    peoplesoft: peopleSoftFor(ctx, { ...config.peoplesoft, auth: creds.peoplesoft }),
    jira,
    siteIds: () =>
      (ids ??= (async () => {
        const check = await jira.checkConnection({ customFieldNames: Object.values(config.fields), targetStatuses: Object.fromEntries(DOCUMENT_KINDS.map((k) => [config.issueTypes[k], []])) });
        // A missing field or issue type fails every record the same way: each is dead-lettered with what to fix and
        // replayed once the Jira admin adds it.
        if (check.problems.length > 0) throw new MappingError(check.problems.join(' '));
        const fields = Object.fromEntries(Object.entries(config.fields).map(([logical, name]) => [logical, check.fields.ids[name]!])) as Record<LogicalField, string>;
        const issueTypes = Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, check.issueTypeIds[config.issueTypes[k]]!])) as Record<DocumentKind, string>;
        return { fields, issueTypes };
      })().catch((err: unknown) => {
        ids = undefined;
        throw err;
      })),
  };
});
