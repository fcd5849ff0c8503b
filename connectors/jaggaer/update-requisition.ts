import type { JaggaerClient } from './client';
import { setPath } from './field-paths';
import { requisitionDocument, writeBody, type RequisitionInput } from './write-documents';

/**
 * POST {instance}/j1p/api/public/jp/v1/requisitions `{ operationCode: "UPDATE", requisition: { header: { requisitionId,
 * ... } } }` (provisional like the create, see provider.ts: JAGGAER Advanced's operation codes, bravo-api
 * src/Enums/OperationCode.php). JAGGAER refuses the change with a non-zero returnCode under HTTP 200 once the
 * requisition is in sourcing; that answer is a PartnerError carrying JAGGAER's raw body, never taken for success.
 */
export async function updateRequisition(client: JaggaerClient, id: string, input: RequisitionInput): Promise<void> {
  const r = client.provider.resources.requisitions;
  const doc = requisitionDocument(input, client.provider);
  setPath(doc, r.fields.id, id);
  await client.send({ operation: `POST ${r.path} (${r.update.operationCode ?? 'update'})`, method: 'POST', path: r.path, body: writeBody(doc, r.update) });
}
