/**
 * The most requests any window of `windowMs` saw: what a partner's sliding-window limiter (Asana's per-minute limit,
 * Procore's spike window) counts against a credential. For tests and the bench checking a budget was kept.
 */
export function busiestWindow(sentAt: number[], windowMs: number): number {
  const sorted = [...sentAt].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
