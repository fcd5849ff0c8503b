import type { JaggaerClient } from './client';
import { createdId } from './create-requisition';
import { findOneByFilter } from './find-by-filter';
import { listChangedPage, type ChangedPage, type ChangedPageInput } from './list-changed';
import { toAccount, type JaggaerAccount } from './models';
import { accountDocument, accountInputSchema, writeBody, type AccountInput } from './write-documents';

/**
 * JAGGAER account codes. JAGGAER publishes no account API (../shared/reference/partner-apis.md part 2 §4): the path,
 * list key, fields, filter keys and operation codes are the provider description's (provider.ts, UNCONFIRMED), shaped
 * like the companyprofiles calls (flt filters: Crown-Commercial-Service/ccs-scale-cat-service application.yml;
 * operationCode CREATE/UPDATE: Network-Rail-Business-Systems/bravo-api src/Enums/OperationCode.php).
 */
export interface AccountWrite {
  id: string;
  outcome: 'created' | 'updated';
}

/** GET .../accountcodes?start=N&flt=LASTMODTIME>=... (provisional). */
export function listAccountsPage(client: JaggaerClient, input: ChangedPageInput = {}): Promise<ChangedPage<JaggaerAccount>> {
  return listChangedPage(client, 'accounts', (doc) => toAccount(doc, client.provider), input);
}

/** GET .../accountcodes?flt=CODE==<code> (filter key provisional). */
export function findAccountByCode(client: JaggaerClient, code: string): Promise<JaggaerAccount | undefined> {
  return findOneByFilter(client, 'accounts', client.provider.resources.accounts.filterKeys.number, code, (doc) => toAccount(doc, client.provider));
}

/** POST .../accountcodes `{ operationCode: "CREATE", accountCode }` -> `{ returnCode: 0, accountCodeId }`. */
export async function createAccount(client: JaggaerClient, input: AccountInput): Promise<AccountWrite> {
  const r = client.provider.resources.accounts;
  const operation = `POST ${r.path} (${r.create.operationCode ?? 'create'})`;
  const answer = await client.send({ operation, method: 'POST', path: r.path, body: writeBody(accountDocument(input, client.provider), r.create) });
  return { id: createdId(answer, r.create.idPath, operation), outcome: 'created' };
}

/** POST .../accountcodes `{ operationCode: "UPDATE", accountCode: { accountCodeId, ... } }`. */
export async function updateAccount(client: JaggaerClient, id: string, input: AccountInput): Promise<AccountWrite> {
  const r = client.provider.resources.accounts;
  const operation = `POST ${r.path} (${r.update.operationCode ?? 'update'})`;
  await client.send({ operation, method: 'POST', path: r.path, body: writeBody(accountDocument(input, client.provider, id), r.update) });
  return { id, outcome: 'updated' };
}

/**
 * Update the account code JAGGAER already has under this code, else create it: a repeat after a crash between the
 * create and our link finds the first one instead of making a second (JAGGAER takes no idempotency key).
 */
export async function upsertAccount(client: JaggaerClient, input: AccountInput): Promise<AccountWrite> {
  // Checked before the lookup too: an empty code would otherwise search for `CODE==`.
  accountInputSchema.parse(input);
  const id = (await findAccountByCode(client, input.code))?.id;
  return id ? updateAccount(client, id, input) : createAccount(client, input);
}
