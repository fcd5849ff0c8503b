import { P2_TARGET, type PairSync } from './p2-pairs';
import { type Result } from './report';

/**
 * P2's row with every pair's main flow: the value is the worst pair's actions per record (P1's voucher sync is the
 * PeopleSoft -> Asana row), met only when every pair is within the goal; each pair's count is in the note.
 */
export function pairsResult(p1Sync: Result, synced: PairSync[]): Result {
  const worst = Math.max(p1Sync.value, ...synced.map((p) => p.actionsPerRecord));
  const perPair = synced.map((p) => `${p.pair} ${p.actions}/${p.linked} = ${p.actionsPerRecord.toPrecision(2)}${p.linked < p.expected ? ` (only ${p.linked} of ${p.expected} linked, ${p.deadLettered} dead-lettered)` : ''}`);
  return {
    ...p1Sync,
    value: worst,
    ratio: worst / P2_TARGET,
    met: worst <= P2_TARGET,
    pairs: synced,
    note: `${p1Sync.note ?? ''}; first sync per pair (${synced[0]?.records ?? 0} records each): ${perPair.join('; ')}`,
  };
}
