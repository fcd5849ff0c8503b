import { credentialView } from '../core/credential-view';
import { syncWorkflowId } from '../core/sync-messages';
import { getCredentials, type ConnectionRow } from '../db/connections';
import { type CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { type ConnectionView } from './contract';

export interface ViewContext {
  pool: Db;
  cipher: CredentialCipher;
  temporalUiUrl: string;
  namespace: string;
}

/** Where support staff see the connection's runs: the workflow id is `connection/<id>`, slash encoded. */
export function temporalUiLink(v: Pick<ViewContext, 'temporalUiUrl' | 'namespace'>, connectionId: string): string {
  return `${v.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(v.namespace)}/workflows/${encodeURIComponent(syncWorkflowId(connectionId))}`;
}

/** The one way a connection leaves the API: config as stored, credentials reduced to which secrets are set. */
export async function connectionViewOf(v: ViewContext, row: ConnectionRow): Promise<ConnectionView> {
  let credentials: ConnectionView['credentials'] = {};
  try {
    credentials = credentialView(await getCredentials(v.pool, v.cipher, row.id));
  } catch {
    // A row the current keys cannot open is shown as such; the cause is the key list, not this connection.
    credentials = { unreadable: { reason: 'encrypted with a key MLC_MASTER_KEY no longer lists' } };
  }
  return {
    id: row.id,
    customerId: row.customer_id,
    pair: row.pair,
    status: row.status,
    config: row.config,
    credentials,
    workflowId: syncWorkflowId(row.id),
    temporalUiUrl: temporalUiLink(v, row.id),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
