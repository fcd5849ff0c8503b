import type { JaggaerClient } from './client';
import { createdId } from './create-requisition';
import { findOneByFilter } from './find-by-filter';
import { toSupplier, type JaggaerSupplier } from './models';
import { supplierDocument, supplierInputSchema, writeBody, type SupplierInput } from './write-documents';

export interface SupplierWrite {
  id: string;
  outcome: 'created' | 'updated';
}

/**
 * GET .../companyprofiles?flt=EXTCODE==<supplier number> (ccs-scale-cat-service: flt on companyprofiles).
 */
export function findSupplierByNumber(client: JaggaerClient, supplierNumber: string): Promise<JaggaerSupplier | undefined> {
  const r = client.provider.resources.suppliers;
  return findOneByFilter(client, 'suppliers', r.filterKeys.externalRef, supplierNumber, (doc) => toSupplier(doc, client.provider));
}

/** GET .../companyprofiles?flt=BRAVOID==<id> (ccs-scale-cat-service application.yml): one supplier, read back. */
export function findSupplierById(client: JaggaerClient, id: string): Promise<JaggaerSupplier | undefined> {
  const r = client.provider.resources.suppliers;
  return findOneByFilter(client, 'suppliers', r.filterKeys.id, id, (doc) => toSupplier(doc, client.provider));
}

/**
 * POST .../companyprofiles `{ operationCode: "CREATE", companyInfo }` -> `{ returnCode: 0, bravoId }` (operation codes
 * CREATE/UPDATE: Network-Rail-Business-Systems/bravo-api src/Enums/OperationCode.php).
 */
export async function createSupplier(client: JaggaerClient, input: SupplierInput): Promise<SupplierWrite> {
  const r = client.provider.resources.suppliers;
  const operation = `POST ${r.path} (${r.create.operationCode ?? 'create'})`;
  const answer = await client.send({ operation, method: 'POST', path: r.path, body: writeBody(supplierDocument(input, client.provider), r.create) });
  return { id: createdId(answer, r.create.idPath, operation), outcome: 'created' };
}

/** POST .../companyprofiles `{ operationCode: "UPDATE", companyInfo: { bravoId, ... } }`. */
export async function updateSupplier(client: JaggaerClient, id: string, input: SupplierInput): Promise<SupplierWrite> {
  const r = client.provider.resources.suppliers;
  const operation = `POST ${r.path} (${r.update.operationCode ?? 'update'})`;
  await client.send({ operation, method: 'POST', path: r.path, body: writeBody(supplierDocument(input, client.provider, id), r.update) });
  return { id, outcome: 'updated' };
}

/** Update when a supplier with this number exists (or `knownId` is given), else create. */
export async function upsertSupplier(client: JaggaerClient, input: SupplierInput, knownId?: string): Promise<SupplierWrite> {
  // Checked before the lookup too: an empty number would otherwise search for `EXTCODE==`.
  supplierInputSchema.parse(input);
  const id = knownId ?? (await findSupplierByNumber(client, input.supplierNumber))?.id;
  return id ? updateSupplier(client, id, input) : createSupplier(client, input);
}
