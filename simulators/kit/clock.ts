/** A movable clock: simulators read time only from here so tests can jump hours (token expiry, webhook deletion). */
export class SimClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`clock can only move forward by a finite number of ms, got ${ms}`);
    this.offsetMs += ms;
    return this.now();
  }

  set(to: Date): Date {
    const delta = to.getTime() - Date.now();
    if (delta < this.offsetMs) throw new Error(`clock cannot move backwards (to ${to.toISOString()})`);
    this.offsetMs = delta;
    return this.now();
  }
}
