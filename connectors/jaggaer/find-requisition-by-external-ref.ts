import type { JaggaerClient } from './client';
import { findOneByFilter } from './find-by-filter';
import { toRequisition, type JaggaerRequisition } from './models';

/** GET .../requisitions?flt=REQNUMBER==<number>: the requisition a purchase order came from (filter key provisional). */
export function findRequisitionByNumber(client: JaggaerClient, number: string): Promise<JaggaerRequisition | undefined> {
  const r = client.provider.resources.requisitions;
  return findOneByFilter(client, 'requisitions', r.filterKeys.number, number, (doc) => toRequisition(doc, client.provider));
}

/** GET .../requisitions?flt=EXTERNALREF==<our key> (filter key provisional, see provider.ts). */
export function findRequisitionByExternalRef(client: JaggaerClient, externalRef: string): Promise<JaggaerRequisition | undefined> {
  const r = client.provider.resources.requisitions;
  return findOneByFilter(client, 'requisitions', r.filterKeys.externalRef, externalRef, (doc) => toRequisition(doc, client.provider));
}
