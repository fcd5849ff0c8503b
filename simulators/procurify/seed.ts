import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimClock } from '../kit/clock';
import type { OrderItemRec, OrderRec, ProcurifyStore, VendorRec } from './store';

export const seedInputSchema = z
  .object({
    locations: z.number().int().min(1).max(50).default(2),
    departmentsPerLocation: z.number().int().min(1).max(50).default(2),
    accountCodes: z.number().int().min(1).max(500).default(4),
    vendors: z.number().int().min(0).max(5000).default(5),
    requisitions: z.number().int().min(0).max(10_000).default(0),
    itemsPerRequisition: z.number().int().min(1).max(50).default(4),
    /** Keep what is there (clients, tokens) and add; default replaces the tenant's business data. */
    append: z.boolean().default(false),
  })
  .strict();
export type SeedInput = z.input<typeof seedInputSchema>;

export interface SeedResult {
  locationIds: number[];
  departmentIds: number[];
  accountCodeIds: number[];
  /** Every account (code x department), the ids order items point at. */
  accountIds: number[];
  vendorIds: number[];
  orderNums: number[];
  itemIds: number[];
}

/** A decimal string from integer parts, so seeded money is exact: 3 decimals of quantity, 2..4 of price. */
const qty = (n: number) => `${1 + (n % 9)}.${String((n * 37) % 1000).padStart(3, '0')}`;
const price = (n: number) => `${10 + ((n * 13) % 990)}.${String((n * 7919) % 10000).padStart(4, '0')}`;

export function newVendor(store: ProcurifyStore, clock: SimClock, name: string, extra: Partial<VendorRec> = {}): VendorRec {
  const v: VendorRec = {
    id: store.nextId(),
    name,
    active: true,
    addressLineOne: `${store.vendors.size + 1} Supply Way`,
    addressLineTwo: null,
    postalCode: '98101',
    city: 'Seattle',
    state_province: 'WA',
    country: 'USA',
    phoneOne: '555-0199',
    email: [`ap@${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`],
    external_id: null,
    type: 3,
    overall_score: null,
    dateModified: clock.now().toISOString(),
    ...extra,
  };
  store.vendors.set(v.id, v);
  return v;
}

export interface NewItem {
  name: string;
  quantity: string;
  price: string;
  vendorId: number;
  accountId: number;
  unit?: string;
}

/** A requisition as a requester submits it; `approved` stamps approved_datetime on every item (status APPROVED). */
export function newRequisition(store: ProcurifyStore, clock: Pick<SimClock, 'now' | 'nowMs'>, input: { departmentId: number; items: NewItem[]; approved: boolean; requesterEmail?: string }): { order: OrderRec; items: OrderItemRec[] } {
  const now = clock.now().toISOString();
  const num = store.nextId();
  const order: OrderRec = {
    num,
    uuid: randomUUID(),
    status: input.approved ? 1 : 0,
    departmentId: input.departmentId,
    requesterEmail: input.requesterEmail ?? 'requester@example.com',
    currency: 'USD',
    date: now,
    dateRequired: new Date(clock.nowMs() + 14 * 86_400_000).toISOString(),
    dateModified: now,
  };
  store.orders.set(num, order);
  const items = input.items.map((it, i) => {
    const rec: OrderItemRec = {
      id: store.nextId(),
      orderNum: num,
      name: it.name,
      sku: `SKU-${num}-${i + 1}`,
      unit: it.unit ?? 'EA',
      quantity: it.quantity,
      price: it.price,
      vendorId: it.vendorId,
      accountId: it.accountId,
      status: 0,
      approved_datetime: input.approved ? now : null,
      created_at: now,
      last_modified: now,
    };
    store.orderItems.set(rec.id, rec);
    return rec;
  });
  return { order, items };
}

/**
 * A tenant with locations, departments, account codes, accounts (code x department), vendors and approved
 * requisitions; every item of one requisition is on the same vendor (one PO per requisition downstream).
 */
export function seed(store: ProcurifyStore, clock: SimClock, raw: unknown): SeedResult {
  const input = seedInputSchema.parse(raw ?? {});
  if (!input.append) store.reset();
  const result: SeedResult = { locationIds: [], departmentIds: [], accountCodeIds: [], accountIds: [], vendorIds: [], orderNums: [], itemIds: [] };
  for (let l = 0; l < input.locations; l += 1) {
    const loc = { id: store.nextId(), name: `Plant ${l + 1}`, external_id: null, active: true };
    store.locations.set(loc.id, loc);
    result.locationIds.push(loc.id);
    for (let d = 0; d < input.departmentsPerLocation; d += 1) {
      const dept = { id: store.nextId(), name: `Dept ${l + 1}-${d + 1}`, locationId: loc.id, external_id: null, active: true };
      store.departments.set(dept.id, dept);
      result.departmentIds.push(dept.id);
    }
  }
  for (let a = 0; a < input.accountCodes; a += 1) {
    const code = { id: store.nextId(), code: `6${String(100 + a).padStart(3, '0')}-00`, description: `Expense ${a + 1}`, account_type: 2, active: true };
    store.accountCodes.set(code.id, code);
    result.accountCodeIds.push(code.id);
    for (const departmentId of result.departmentIds) {
      const account = { id: store.nextId(), accountCodeId: code.id, departmentId };
      store.accounts.set(account.id, account);
      result.accountIds.push(account.id);
    }
  }
  for (let v = 0; v < input.vendors; v += 1) result.vendorIds.push(newVendor(store, clock, `Vendor ${v + 1}`).id);
  let n = 0;
  for (let r = 0; r < input.requisitions && result.vendorIds.length > 0; r += 1) {
    const departmentId = result.departmentIds[r % result.departmentIds.length]!;
    const accounts = [...store.accounts.values()].filter((a) => a.departmentId === departmentId);
    const items: NewItem[] = [];
    for (let i = 0; i < input.itemsPerRequisition; i += 1, n += 1) {
      items.push({ name: `Item ${r + 1}.${i + 1}`, quantity: qty(n), price: price(n), vendorId: result.vendorIds[r % result.vendorIds.length]!, accountId: accounts[n % accounts.length]!.id });
    }
    const created = newRequisition(store, clock, { departmentId, items, approved: true });
    result.orderNums.push(created.order.num);
    result.itemIds.push(...created.items.map((i) => i.id));
  }
  return result;
}
