/**
 * A movable clock: simulators read time only from here so tests can jump hours (token expiry, webhook deletion) and
 * skew the partner's clock against ours (the fault suite's R11).
 */
export class SimClock {
  private offsetMs = 0;
  /** How far the partner's clock is off ours: + ahead, - behind. Unlike `advance`, it may move back (an NTP step). */
  private skewMs = 0;

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs + this.skewMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`clock can only move forward by a finite number of ms, got ${ms}`);
    this.offsetMs += ms;
    return this.now();
  }

  set(to: Date): Date {
    const delta = to.getTime() - Date.now() - this.skewMs;
    if (delta < this.offsetMs) throw new Error(`clock cannot move backwards (to ${to.toISOString()})`);
    this.offsetMs = delta;
    return this.now();
  }

  /**
   * The partner's clock set `ms` off true time (what a server whose NTP drifted, or just stepped, shows): the time the
   * partner stamps on its records moves with it, backwards too. Scenario jumps (`advance`) stay on top of it.
   */
  setSkew(ms: number): Date {
    if (!Number.isInteger(ms) || Math.abs(ms) > 24 * 3_600_000) throw new Error(`clock skew must be an integer number of ms within a day, got ${ms}`);
    this.skewMs = ms;
    return this.now();
  }

  skew(): number {
    return this.skewMs;
  }
}
