import type { SimClock } from '../kit/clock';
import { getAt, setAt, simResourceNames, simResources, type SimResource } from './resources';

/** A stored JAGGAER document and when it last changed (simulator clock), for LASTMODTIME filters and paging order. */
export interface StoredDoc {
  id: number;
  modifiedMs: number;
  doc: Record<string, unknown>;
}

/** In-memory JAGGAER data, one instance per simulator (no module-level state). */
export class JaggaerStore {
  readonly docs: Record<SimResource, Map<number, StoredDoc>> = { requisitions: new Map(), purchaseOrders: new Map(), invoices: new Map(), suppliers: new Map(), accounts: new Map() };
  private nextId = 1_000_001;
  private seq = 0;

  constructor(private readonly clock: SimClock) {}

  now(): Date {
    return this.clock.now();
  }

  reset(): void {
    for (const name of simResourceNames) this.docs[name].clear();
  }

  /** Stores a new document, giving it an id and a last-modified time unless the document carries them. */
  insert(resource: SimResource, doc: Record<string, unknown>): StoredDoc {
    const shape = simResources[resource];
    const id = this.nextId++;
    setAt(doc, shape.idPath, id);
    return this.touch(resource, { id, modifiedMs: 0, doc });
  }

  /** A change: the document's last-modified time moves to now (strictly increasing, so paging order is stable). */
  touch(resource: SimResource, stored: StoredDoc): StoredDoc {
    const ms = Math.max(this.clock.nowMs(), this.seq + 1);
    this.seq = ms;
    stored.modifiedMs = ms;
    setAt(stored.doc, simResources[resource].lastModifiedPath, new Date(ms).toISOString());
    this.docs[resource].set(stored.id, stored);
    return stored;
  }

  get(resource: SimResource, id: number): StoredDoc | undefined {
    return this.docs[resource].get(id);
  }

  findBy(resource: SimResource, path: string, value: string): StoredDoc | undefined {
    for (const d of this.docs[resource].values()) if (String(getAt(d.doc, path)) === value) return d;
    return undefined;
  }

  /** Oldest change first, then id: the order a `start` walk sees. */
  sorted(resource: SimResource): StoredDoc[] {
    return [...this.docs[resource].values()].sort((a, b) => a.modifiedMs - b.modifiedMs || a.id - b.id);
  }
}
