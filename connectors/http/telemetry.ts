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
  /**
   * A read answered fewer rows than the connection's declared row cap and was found cut short (PeopleSoft inquiries,
   * connectors/peoplesoft/row-cap.ts): every row was still read by splitting, but the declared cap is wrong.
   */
  rowCapCutShort?(partner: string, operation: string): void;
}

export const noTelemetry: PartnerTelemetry = {
  rateLimited: () => undefined,
  tokenRefreshed: () => undefined,
};
