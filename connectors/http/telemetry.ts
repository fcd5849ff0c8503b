/**
 * What connectors report about their partners while they work, for the worker's /metrics. Injected (never a global),
 * so each worker, test and benchmark counts only its own calls. Labels are partner and operation names only: never
 * a customer, connection, token or record.
 */
export interface PartnerTelemetry {
  /** The partner answered 429 (its rate limit refused the call). */
  rateLimited(partner: string, operation: string): void;
  /** An OAuth access token was refreshed ('ok') or the refresh was refused ('failed'). */
  tokenRefreshed(partner: string, outcome: 'ok' | 'failed'): void;
}

export const noTelemetry: PartnerTelemetry = {
  rateLimited: () => undefined,
  tokenRefreshed: () => undefined,
};
