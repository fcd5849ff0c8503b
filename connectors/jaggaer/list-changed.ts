import type { JaggaerClient } from './client';
import { formatFilterDate, type FilterTerm } from './flt';
import type { ResourceName } from './provider-schema';
import { FieldProblem } from './read-fields';

export interface ChangedPageInput {
  /** Only records modified at or after this instant (the watermark minus an overlap): `flt=LASTMODTIME>=...`. */
  changedSince?: Date;
  /** Only records modified at or before this instant (the end of the engine's window): `LASTMODTIME<=...`. */
  changedUntil?: Date;
  /** The `start` from the previous page's nextStart. */
  start?: number;
}

/** A record JAGGAER sent that does not fit the provider description: kept raw with the reason, never dropped. */
export interface UnreadableRecord {
  raw: unknown;
  problem: string;
  field: string;
}

export interface ChangedPage<T> {
  records: T[];
  unreadable: UnreadableRecord[];
  totRecords: number;
  nextStart: number | undefined;
}

/** One page of a resource changed since a time, mapped through the provider's field table. */
export async function listChangedPage<T>(
  client: JaggaerClient,
  resource: ResourceName,
  map: (doc: unknown) => T,
  input: ChangedPageInput,
  extra: FilterTerm[] = [],
): Promise<ChangedPage<T>> {
  const { provider } = client;
  const filters: FilterTerm[] = [...extra];
  const modified = provider.resources[resource].filterKeys.modifiedSince;
  if (input.changedUntil) filters.unshift({ key: modified, op: '<=', value: formatFilterDate(ceilToSecond(input.changedUntil), provider.filter.dateFormat) });
  if (input.changedSince) filters.unshift({ key: modified, op: '>=', value: formatFilterDate(input.changedSince, provider.filter.dateFormat) });
  const page = await client.listPage(resource, { filters, start: input.start });
  const records: T[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const raw of page.items) {
    try {
      records.push(map(raw));
    } catch (err) {
      if (!(err instanceof FieldProblem)) throw err;
      unreadable.push({ raw, problem: err.message, field: err.field });
    }
  }
  return { records, unreadable, totRecords: page.totRecords, nextStart: page.nextStart };
}

/** Filter dates are written to the second: the upper bound rounds up so nothing inside the window is cut off. */
function ceilToSecond(d: Date): Date {
  return new Date(Math.ceil(d.getTime() / 1000) * 1000);
}

/** Every page from `changedSince`, for callers that want the whole set (tests, dry runs); the engine pages itself. */
export async function* listAllChanged<T>(
  client: JaggaerClient,
  resource: ResourceName,
  map: (doc: unknown) => T,
  changedSince: Date | undefined,
  extra: FilterTerm[] = [],
  changedUntil?: Date,
): AsyncGenerator<ChangedPage<T>, void, void> {
  let start: number | undefined;
  do {
    const page = await listChangedPage(client, resource, map, { changedSince, changedUntil, start }, extra);
    yield page;
    start = page.nextStart;
  } while (start !== undefined);
}
