/**
 * Ends every live token now, as at the end of its lifetime: the next call with one is a 401 (RFC 6750 §3.1
 * invalid_token, https://datatracker.ietf.org/doc/html/rfc6750#section-3.1). For the simulators' token servers'
 * expire-all admin calls (R10), which leave the simulator's clock where it is. A token without an expiry counts as
 * live. Returns how many were live.
 */
export function expireLiveTokens(tokens: Iterable<{ expiresAtMs?: number }>, nowMs: number): number {
  let expired = 0;
  for (const t of tokens) {
    if (t.expiresAtMs !== undefined && t.expiresAtMs <= nowMs) continue;
    t.expiresAtMs = nowMs;
    expired += 1;
  }
  return expired;
}
