import { SimClock } from './clock';

describe('SimClock skew', () => {
  it('moves the clock ahead and back by the skew, on top of advances', () => {
    const clock = new SimClock();
    clock.advance(60_000);
    clock.setSkew(5 * 60_000);
    const ahead = clock.nowMs() - Date.now();
    expect(ahead).toBeGreaterThanOrEqual(6 * 60_000 - 50);
    expect(ahead).toBeLessThanOrEqual(6 * 60_000 + 50);
    clock.setSkew(-5 * 60_000);
    const behind = clock.nowMs() - Date.now();
    expect(behind).toBeGreaterThanOrEqual(-4 * 60_000 - 50);
    expect(behind).toBeLessThanOrEqual(-4 * 60_000 + 50);
    expect(clock.skew()).toBe(-5 * 60_000);
  });

  it('refuses a skew that is not a whole number of ms within a day, naming it', () => {
    expect(() => new SimClock().setSkew(1.5)).toThrow(/clock skew must be an integer number of ms within a day, got 1.5/);
    expect(() => new SimClock().setSkew(2 * 86_400_000)).toThrow(/within a day/);
  });
});
