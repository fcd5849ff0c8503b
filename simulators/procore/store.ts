import type { SimClock } from '../kit/clock';

/** A Procore record as the simulator keeps it: ids are digit strings (64-bit), times ISO on the simulator clock. */
export interface Rec {
  id: string;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

export type Kind = 'projects' | 'vendors' | 'costCodes' | 'commitments' | 'commitmentLines' | 'directCosts' | 'directCostLines' | 'changeOrders' | 'requisitions' | 'requisitionLines';
export const kinds: readonly Kind[] = ['projects', 'vendors', 'costCodes', 'commitments', 'commitmentLines', 'directCosts', 'directCostLines', 'changeOrders', 'requisitions', 'requisitionLines'];

/** Webhook resource names per kind (GET /rest/v1.0/webhooks/resources lists the real ones; these names are UNCONFIRMED). */
export const resourceNames: Partial<Record<Kind, string>> = {
  vendors: 'Company Vendors',
  commitments: 'Purchase Order Contracts',
  directCosts: 'Direct Costs',
  changeOrders: 'Commitment Change Orders',
  requisitions: 'Requisitions',
};

export type ChangeListener = (kind: Kind, rec: Rec, eventType: 'create' | 'update' | 'delete') => void;

/**
 * Ids start above 2^53, as a large company's would, so any client that reads them as JavaScript numbers shows it.
 * One company per simulator (its id below); a request naming another company is refused like an unconnected company.
 */
export class ProcoreStore {
  readonly companyId = '9007199254740993';
  private next = 9007199254741100n;
  private readonly tables = new Map<Kind, Map<string, Rec>>(kinds.map((k) => [k, new Map()]));
  private listeners: ChangeListener[] = [];

  constructor(private readonly clock: SimClock) {}

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  newId(): string {
    this.next += 1n;
    return String(this.next);
  }

  all(kind: Kind): Rec[] {
    return [...this.tables.get(kind)!.values()];
  }

  get(kind: Kind, id: string): Rec | undefined {
    return this.tables.get(kind)!.get(id);
  }

  byOrigin(kind: Kind, originId: string): Rec | undefined {
    return this.all(kind).find((r) => r.origin_id === originId);
  }

  insert(kind: Kind, fields: Record<string, unknown>, quiet = false): Rec {
    const now = this.clock.now().toISOString();
    const rec: Rec = { ...fields, id: this.newId(), created_at: now, updated_at: now };
    this.tables.get(kind)!.set(rec.id, rec);
    if (!quiet) for (const l of this.listeners) l(kind, rec, 'create');
    return rec;
  }

  update(kind: Kind, id: string, fields: Record<string, unknown>): Rec {
    const rec = this.get(kind, id);
    if (!rec) throw new Error(`no ${kind} ${id}`);
    Object.assign(rec, fields, { id: rec.id, updated_at: this.clock.now().toISOString() });
    for (const l of this.listeners) l(kind, rec, 'update');
    return rec;
  }

  reset(): void {
    for (const t of this.tables.values()) t.clear();
  }
}
