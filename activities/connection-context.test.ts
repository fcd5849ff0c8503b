import { ApplicationFailure } from '@temporalio/activity';
import { CredentialCipher } from '../db/credential-cipher';
import { DbError, type Db } from '../db/pool';
import { testMasterKey } from '../test/support/env';
import { loadFlowContext } from './connection-context';

const connection = { id: 'c1', customer_id: 'acme', pair: 'peoplesoft-asana', status: 'active', config: {}, created_at: new Date(), updated_at: new Date() };

/** A pool that finds the connection, then answers the credentials query as `credentials` says (unit level: no server). */
function poolAnswering(credentials: () => Promise<unknown>): Db {
  return { query: (sql: string) => (sql.includes('connection_credentials') ? credentials() : Promise.resolve({ rows: [connection] })) } as unknown as Db;
}

describe('loadFlowContext', () => {
  const cipher = new CredentialCipher(testMasterKey());

  it('lets a lost database connection through as a transient error (the retry reads the credentials once it is back)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const err = await loadFlowContext(poolAnswering(() => Promise.reject(refused)), cipher, 'c1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DbError);
    expect((err as DbError).cause).toBe(refused);
  });

  it('fails for good when stored credentials cannot be decrypted', async () => {
    const row = { side: 'asana', key_id: 'gone', iv: Buffer.alloc(12), auth_tag: Buffer.alloc(16), ciphertext: Buffer.from('x') };
    const err = await loadFlowContext(poolAnswering(() => Promise.resolve({ rows: [row] })), cipher, 'c1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ nonRetryable: true, type: 'CredentialsUnreadable' });
  });
});
