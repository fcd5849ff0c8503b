import { ApplicationFailure } from '@temporalio/activity';
import { type PartnerTelemetry } from '../connectors/http/telemetry';
import { getConnection, getCredentials } from '../db/connections';
import { type CredentialCipher } from '../db/credential-cipher';
import { oauthTokenStore } from '../db/oauth-tokens';
import { type Db } from '../db/pool';
import { isDbUnavailable } from '../db/sql-state';
import { type FlowContext } from './flows/types';

/**
 * Workflows carry only a connection id; credentials are loaded and decrypted here, inside the activity, so they
 * never enter workflow history.
 */
export async function loadFlowContext(pool: Db, cipher: CredentialCipher, connectionId: string, telemetry?: PartnerTelemetry): Promise<FlowContext> {
  const connection = await getConnection(pool, connectionId);
  if (!connection || connection.status === 'deleted') {
    throw ApplicationFailure.nonRetryable(`connection ${connectionId} does not exist (or was deleted)`, 'ConnectionNotFound');
  }
  let credentials: Record<string, unknown>;
  try {
    credentials = await getCredentials(pool, cipher, connectionId);
  } catch (err) {
    // PostgreSQL gone mid-read (killed, restarting): transient, the retry reads them once it is back.
    if (isDbUnavailable(err)) throw err;
    // The cipher's message names the key id only, never key material or plaintext.
    throw ApplicationFailure.nonRetryable((err as Error).message, 'CredentialsUnreadable');
  }
  return { connection, credentials, telemetry, oauthTokens: (side) => oauthTokenStore(pool, cipher, connectionId, side), pool };
}
