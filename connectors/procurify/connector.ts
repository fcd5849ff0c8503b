import { createProcurifyClient, type ProcurifyClientDeps } from './client';
import { closePurchaseOrder } from './close-purchase-order';
import { procurifyConfigSchema, type ProcurifyConfigInput } from './config';
import { createVendor } from './create-vendor';
import { getVendor } from './get-vendor';
import { listAccountCodes } from './list-account-codes';
import { listOrders, type ListOrdersInput } from './list-approved-orders';
import { listDepartments } from './list-departments';
import { listLocations } from './list-locations';
import { listOrderItems, type ListOrderItemsInput } from './list-order-items';
import { listPurchaseOrders, type ListPurchaseOrdersInput } from './list-purchase-orders';
import { findVendorByExternalId, listVendors, type ListVendorsInput } from './list-vendors';
import { updateVendor } from './update-vendor';
import type { VendorWrite } from './vendor-model';

/** Everything the engine's Procurify activities call, bound to one connection (config parsed once here). */
export function createProcurifyConnector(configInput: ProcurifyConfigInput, deps: ProcurifyClientDeps = {}) {
  const client = createProcurifyClient(procurifyConfigSchema.parse(configInput), deps);
  return {
    client,
    /** A usable token now: call before writing, so refused credentials fail the batch before anything is written. */
    authorize: () => client.authorize(),
    listOrders: (input?: ListOrdersInput) => listOrders(client, input),
    listOrderItems: (input?: ListOrderItemsInput) => listOrderItems(client, input),
    listVendors: (input?: ListVendorsInput) => listVendors(client, input),
    findVendorByExternalId: (externalId: string) => findVendorByExternalId(client, externalId),
    getVendor: (id: number) => getVendor(client, id),
    createVendor: (input: VendorWrite & { name: string }) => createVendor(client, input),
    updateVendor: (id: number, input: VendorWrite) => updateVendor(client, id, input),
    listAccountCodes: (input?: { active?: boolean }) => listAccountCodes(client, input),
    listDepartments: () => listDepartments(client),
    listLocations: (input?: { active?: boolean }) => listLocations(client, input),
    listPurchaseOrders: (input?: ListPurchaseOrdersInput) => listPurchaseOrders(client, input),
    closePurchaseOrder: (procurifyPo: number) => closePurchaseOrder(client, procurifyPo),
  };
}
export type ProcurifyConnector = ReturnType<typeof createProcurifyConnector>;
