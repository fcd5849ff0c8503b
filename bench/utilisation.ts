import { cpus } from 'node:os';

/**
 * A per-minute limit's utilisation from the simulator's request log: counted over whole minutes from the first
 * request (a sliding-window limit lets any client burst in its first minute, so partial minutes would flatter it).
 */
export interface MinuteUtilisation {
  requestsPerMinute: number;
  wholeMinutes: number;
  requests: number;
  rejected429: number;
  share429: number;
  utilisation: number;
  cpus: number;
}

export function perMinuteUtilisation(requests: { receivedAtMs: number; status: number | null }[], limitPerMinute: number): MinuteUtilisation {
  const first = requests[0]?.receivedAtMs ?? 0;
  const last = requests[requests.length - 1]?.receivedAtMs ?? 0;
  const minutes = Math.floor((last - first) / 60_000);
  const inWhole = minutes > 0 ? requests.filter((r) => r.receivedAtMs < first + minutes * 60_000).length : requests.length;
  const perMinute = minutes > 0 ? inWhole / minutes : (requests.length / Math.max(1, last - first)) * 60_000;
  const rejected = requests.filter((r) => r.status === 429).length;
  return {
    requestsPerMinute: perMinute,
    wholeMinutes: minutes,
    requests: requests.length,
    rejected429: rejected,
    share429: requests.length ? rejected / requests.length : 0,
    utilisation: perMinute / limitPerMinute,
    cpus: cpus().length,
  };
}
