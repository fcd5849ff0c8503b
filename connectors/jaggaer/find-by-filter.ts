import type { JaggaerClient } from './client';
import { listChangedPage } from './list-changed';
import type { ResourceName } from './provider-schema';

/**
 * The first record matching `KEY==value` (e.g. EXTERNALREF, EXTCODE), or undefined. Used to recover a create whose
 * answer was lost (the intent row says we sent it) and to find an existing supplier before writing.
 */
export async function findOneByFilter<T>(client: JaggaerClient, resource: ResourceName, key: string | undefined, value: string, map: (doc: unknown) => T): Promise<T | undefined> {
  if (!key) {
    throw new Error(`JAGGAER ${resource} has no filter key for this lookup: set it in provider.resources.${resource}.filterKeys in the connection config`);
  }
  const page = await listChangedPage(client, resource, map, {}, [{ key, op: '==', value }]);
  if (page.unreadable.length > 0 && page.records.length === 0) throw new Error(page.unreadable[0]!.problem);
  return page.records[0];
}
