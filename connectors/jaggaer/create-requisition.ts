import { PartnerError } from '../../core/partner-error';
import type { JaggaerClient } from './client';
import { getPath } from './field-paths';
import { JAGGAER } from './provider';
import { requisitionDocument, writeBody, type RequisitionInput } from './write-documents';

export interface CreatedRecord {
  id: string;
}

/**
 * POST {instance}/j1p/api/public/jp/v1/requisitions with `{ requisition: {...} }` -> `{ returnCode: 0, returnMessage,
 * requisitionId }` (path and body key provisional, see provider.ts; a write answers in the same returnCode envelope
 * as lists: Network-Rail-Business-Systems/bravo-api `postProject`). A validation error is HTTP 200 with a non-zero
 * returnCode and is thrown as a PartnerError with the raw answer. JAGGAER has no idempotency key: callers record an
 * intent first and recover a lost answer with findRequisitionByExternalRef.
 */
export async function createRequisition(client: JaggaerClient, input: RequisitionInput): Promise<CreatedRecord> {
  const r = client.provider.resources.requisitions;
  const operation = `POST ${r.path}`;
  const answer = await client.send({ operation, method: 'POST', path: r.path, body: writeBody(requisitionDocument(input, client.provider), r.create) });
  return { id: createdId(answer, r.create.idPath, operation) };
}

export function createdId(answer: Record<string, unknown>, idPath: string, operation: string): string {
  const id = getPath(answer, idPath);
  if ((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id !== '')) return String(id);
  // returnCode 0 without the id: the record may exist, so this must not pass for success nor be retried blindly.
  throw new PartnerError(`jaggaer ${operation}: returnCode 0 but no id at ${idPath}`, {
    partner: JAGGAER,
    operation,
    status: 200,
    rawBody: JSON.stringify(answer).slice(0, 64 * 1024),
    decision: { retry: false, reason: 'write answered without the created id' },
    code: 'JAGGAER_UNEXPECTED_RESPONSE',
    hint: 'Set the create idPath in the connection provider config to where this instance returns the new id.',
  });
}
