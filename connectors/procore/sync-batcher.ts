import { PartnerError } from '../../core/partner-error';
import { PROCORE } from './request-token';

export interface SyncItem {
  origin_id: string;
  [field: string]: unknown;
}

/** At most 1,000 resources per sync call (https://developers.procore.com/documentation/using-sync-actions). */
export const SYNC_MAX_ITEMS = 1000;

/**
 * Collects the creates and updates that arrive together (the engine writes a page of records several at a time) into
 * one sync action call, keyed by `origin_id`. Each caller gets its own entity back, or its own error: the sync answer
 * is always HTTP 200 with `entities` and `errors`, and an item in `errors` becomes a permanent PartnerError for that
 * record only, with Procore's words for it as the raw answer, so it is dead-lettered and the others are not.
 */
export class SyncBatcher {
  private pending: { item: SyncItem; resolve: (e: Record<string, unknown>) => void; reject: (err: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly operation: string,
    private readonly call: (items: SyncItem[]) => Promise<{ entities: Record<string, unknown>[]; errors: Record<string, unknown>[] }>,
    private readonly lingerMs = 25,
  ) {}

  submit(item: SyncItem): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= SYNC_MAX_ITEMS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, SYNC_MAX_ITEMS);
    if (batch.length === 0) return;
    this.call(batch.map((b) => b.item)).then(
      (answer) => {
        const ok = new Map(answer.entities.map((e) => [String(e.origin_id ?? ''), e]));
        const failed = new Map(answer.errors.map((e) => [String(e.origin_id ?? ''), e]));
        for (const b of batch) {
          const entity = ok.get(b.item.origin_id);
          const error = failed.get(b.item.origin_id);
          if (entity && !error) b.resolve(entity);
          else b.reject(itemError(this.operation, b.item.origin_id, error));
        }
      },
      (err: unknown) => {
        for (const b of batch) b.reject(err);
      },
    );
  }
}

function itemError(operation: string, originId: string, error: Record<string, unknown> | undefined): PartnerError {
  const reasons = error?.errors ? JSON.stringify(error.errors) : 'the item is in neither entities nor errors';
  return new PartnerError(`procore ${operation}: origin_id ${originId} refused in a 200 answer: ${reasons}`.slice(0, 500), {
    partner: PROCORE,
    operation,
    status: 200,
    rawBody: JSON.stringify(error ?? { origin_id: originId, missing: true }),
    decision: { retry: false, reason: 'Procore refused this item of the sync action' },
    code: 'PROCORE_SYNC_ITEM_ERROR',
    hint: 'Fix the record named in the errors (in PeopleSoft, or the mapping), then replay the dead letter.',
  });
}
