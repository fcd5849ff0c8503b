/**
 * The log lines an operator reads: whole sentences naming the connection and the counts, so a terminal (pretty logs)
 * or a log search shows what happened without reading fields. The same facts stay as fields for machines.
 */
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function windowSyncedLine(p: { connectionId: string; flow: string; from: string; to: string; fetched: number; created: number; updated: number; unchanged: number; deadLettered: number }): string {
  return (
    `connection ${p.connectionId}: ${p.flow} window ${p.from} .. ${p.to} synced, ${plural(p.fetched, 'record')} fetched, ` +
    `${p.created} created, ${p.updated} updated, ${p.unchanged} unchanged, ${p.deadLettered} dead-lettered`
  );
}

export function deadLetteredLine(p: { connectionId: string; flow: string; count: number; keys: string[] }): string {
  const shown = p.keys.slice(0, 5).join(', ');
  return `connection ${p.connectionId}: ${plural(p.count, 'record')} of ${p.flow} went to dead letters (${shown}${p.count > 5 ? ', ...' : ''}); see \`mlc connections dead-letters ${p.connectionId}\``;
}

export function pollReturnedLine(p: { connectionId: string; reason: string; idlePolls: number; flows: Record<string, { written?: number; error?: string }> }): string {
  const flows = Object.entries(p.flows).map(([flow, f]) => (f.error ? `${flow} failed: ${f.error}` : `${flow} ${f.written ?? 0} written`));
  return `connection ${p.connectionId}: poll returned (${p.reason}) after ${plural(p.idlePolls, 'idle poll')}; ${flows.join(', ') || 'no flow due'}`;
}

export function webhookEventsLine(p: { connectionId: string; events: number; applied: number; alreadyApplied: number; ignored: number; deadLettered: number }): string {
  return (
    `connection ${p.connectionId}: ${plural(p.events, 'webhook event')} handled, ${p.applied} applied, ` +
    `${p.alreadyApplied} already applied, ${p.ignored} ignored, ${p.deadLettered} dead-lettered`
  );
}
