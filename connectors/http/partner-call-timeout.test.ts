import { callTimeoutMs, mayWrite, PARTNER_CALL_TIMEOUT_MS, partnerCallTimeoutMs } from './partner-request';

describe('the partner call timeout (MLC_PARTNER_CALL_TIMEOUT_MS)', () => {
  it('is 30 s unless set, takes whole milliseconds from 1 s to 10 min, and names the variable otherwise', () => {
    expect(partnerCallTimeoutMs({})).toBe(30_000);
    expect(partnerCallTimeoutMs({ MLC_PARTNER_CALL_TIMEOUT_MS: '8000' })).toBe(8_000);
    for (const bad of ['500', '8s', '1.5e3', '700000']) expect(() => partnerCallTimeoutMs({ MLC_PARTNER_CALL_TIMEOUT_MS: bad })).toThrow(/MLC_PARTNER_CALL_TIMEOUT_MS/);
  });

  it('bounds every call that may write by it (what the write fence waits out), and leaves reads their own timeout', () => {
    expect(PARTNER_CALL_TIMEOUT_MS).toBe(30_000);
    expect(callTimeoutMs(60_000, true)).toBe(30_000);
    expect(callTimeoutMs(10_000, true)).toBe(10_000);
    expect(callTimeoutMs(undefined, true)).toBe(30_000);
    expect(callTimeoutMs(60_000, false)).toBe(60_000);
    expect(callTimeoutMs(undefined, false)).toBe(30_000);
    expect([undefined, 'get', 'HEAD', 'options'].map(mayWrite)).toEqual([false, false, false, false]);
    expect(['post', 'PUT', 'patch', 'DELETE'].map(mayWrite)).toEqual([true, true, true, true]);
  });
});
