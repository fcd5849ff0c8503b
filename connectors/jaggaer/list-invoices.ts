import type { JaggaerClient } from './client';
import { listChangedPage, type ChangedPage, type ChangedPageInput } from './list-changed';
import { toInvoice, type JaggaerInvoice } from './models';

/**
 * GET {instance}/j1p/api/public/ji/v1/invoices?start=N&flt=LASTMODTIME>=... -> `jiinvoiceList.jiinvoice[].header`
 * (UCLALibrary/jaggaer-api jaggaer_api_client.py and sample_data/invoice_list.json; partner-apis.md part 2 §4).
 */
export function listInvoicesPage(client: JaggaerClient, input: ChangedPageInput = {}): Promise<ChangedPage<JaggaerInvoice>> {
  return listChangedPage(client, 'invoices', (doc) => toInvoice(doc, client.provider), input);
}
