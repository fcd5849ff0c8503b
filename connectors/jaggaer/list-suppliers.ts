import type { JaggaerClient } from './client';
import { listChangedPage, type ChangedPage, type ChangedPageInput } from './list-changed';
import { toSupplier, type JaggaerSupplier } from './models';

/**
 * GET {instance}/j1p/api/public/ja/v1/companyprofiles?start=N&flt=LASTMODTIME>=... -> `returnCompanyData[]`
 * (the J1P variant of JAGGAER Advanced's companyprofiles: Crown-Commercial-Service/ccs-scale-cat-service
 * application.yml; list key from UCLA's client; partner-apis.md part 2 §4).
 */
export function listSuppliersPage(client: JaggaerClient, input: ChangedPageInput = {}): Promise<ChangedPage<JaggaerSupplier>> {
  return listChangedPage(client, 'suppliers', (doc) => toSupplier(doc, client.provider), input);
}
