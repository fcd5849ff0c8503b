import { createHash } from 'node:crypto';
import { type SourceRecord } from '../../activities/flows/types';
import type { JaggaerClient, ResourceName } from '../../connectors/jaggaer';
import { getPath } from '../../connectors/jaggaer/field-paths';
import { listAllChanged } from '../../connectors/jaggaer/list-changed';
import type { FilterTerm } from '../../connectors/jaggaer/flt';
import type { UnreadableData } from './map-documents';

/**
 * Every JAGGAER record of a resource changed in [from, to], as engine records keyed `<prefix>:<JAGGAER id>`. Records
 * the provider description cannot read become records too (their map throws), so they are dead-lettered, not lost.
 */
export async function jaggaerWindow<T extends { id: string; lastModified: string }>(
  client: JaggaerClient,
  resource: ResourceName,
  prefix: string,
  map: (doc: unknown) => T,
  window: { from: Date; to: Date },
  extra: FilterTerm[] = [],
): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  const idPath = client.provider.resources[resource].fields.id;
  for await (const page of listAllChanged(client, resource, map, window.from, extra, window.to)) {
    for (const r of page.records) records.push({ key: `${prefix}:${r.id}`, updatedAt: r.lastModified, data: r });
    for (const u of page.unreadable) {
      const id = getPath(u.raw, idPath);
      const key = typeof id === 'string' || typeof id === 'number' ? String(id) : `unreadable-${createHash('sha256').update(JSON.stringify(u.raw)).digest('hex').slice(0, 16)}`;
      records.push({ key: `${prefix}:${key}`, updatedAt: window.from.toISOString(), data: { kind: 'unreadable', entity: `JAGGAER ${resource}`, problem: u.problem, raw: u.raw } satisfies UnreadableData });
    }
  }
  return records;
}
