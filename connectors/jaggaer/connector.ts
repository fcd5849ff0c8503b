import { createJaggaerClient, type JaggaerClientDeps } from './client';
import { parseJaggaerConfig, type JaggaerConfigInput } from './config';
import { createRequisition } from './create-requisition';
import { findRequisitionByExternalRef, findRequisitionByNumber } from './find-requisition-by-external-ref';
import type { ChangedPageInput } from './list-changed';
import { listInvoicesPage } from './list-invoices';
import { listPurchaseOrdersPage, type PurchaseOrdersPageInput } from './list-purchase-orders';
import { listRequisitionsPage } from './list-requisitions';
import { listSuppliersPage } from './list-suppliers';
import { updateRequisition } from './update-requisition';
import { findAccountByCode, listAccountsPage, updateAccount, upsertAccount } from './upsert-account';
import { createSupplier, findSupplierById, findSupplierByNumber, updateSupplier, upsertSupplier } from './upsert-supplier';
import type { AccountInput, RequisitionInput, SupplierInput } from './write-documents';

/** Everything the sync engine's JAGGAER activities call, bound to one connection (config parsed once here). */
export function createJaggaerConnector(configInput: JaggaerConfigInput, deps: JaggaerClientDeps = {}) {
  const client = createJaggaerClient(parseJaggaerConfig(configInput), deps);
  return {
    client,
    /** A usable token now: call before writing, so refused credentials fail the whole batch. */
    authorize: () => client.authorize(),
    listRequisitionsPage: (input?: ChangedPageInput) => listRequisitionsPage(client, input),
    listPurchaseOrdersPage: (input?: PurchaseOrdersPageInput) => listPurchaseOrdersPage(client, input),
    listInvoicesPage: (input?: ChangedPageInput) => listInvoicesPage(client, input),
    listSuppliersPage: (input?: ChangedPageInput) => listSuppliersPage(client, input),
    createRequisition: (input: RequisitionInput) => createRequisition(client, input),
    updateRequisition: (id: string, input: RequisitionInput) => updateRequisition(client, id, input),
    findRequisitionByExternalRef: (externalRef: string) => findRequisitionByExternalRef(client, externalRef),
    findRequisitionByNumber: (number: string) => findRequisitionByNumber(client, number),
    createSupplier: (input: SupplierInput) => createSupplier(client, input),
    updateSupplier: (id: string, input: SupplierInput) => updateSupplier(client, id, input),
    upsertSupplier: (input: SupplierInput, knownId?: string) => upsertSupplier(client, input, knownId),
    findSupplierByNumber: (supplierNumber: string) => findSupplierByNumber(client, supplierNumber),
    findSupplierById: (id: string) => findSupplierById(client, id),
    listAccountsPage: (input?: ChangedPageInput) => listAccountsPage(client, input),
    upsertAccount: (input: AccountInput) => upsertAccount(client, input),
    updateAccount: (id: string, input: AccountInput) => updateAccount(client, id, input),
    findAccountByCode: (code: string) => findAccountByCode(client, code),
  };
}
export type JaggaerConnector = ReturnType<typeof createJaggaerConnector>;
