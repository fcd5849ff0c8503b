import { partnerCallTimeoutMs } from './partner-request';

describe('the partner call timeout (MLC_PARTNER_CALL_TIMEOUT_MS)', () => {
  it('is 30 s unless set, takes whole milliseconds from 1 s to 10 min, and names the variable otherwise', () => {
    expect(partnerCallTimeoutMs({})).toBe(30_000);
    expect(partnerCallTimeoutMs({ MLC_PARTNER_CALL_TIMEOUT_MS: '8000' })).toBe(8_000);
    for (const bad of ['500', '8s', '1.5e3', '700000']) expect(() => partnerCallTimeoutMs({ MLC_PARTNER_CALL_TIMEOUT_MS: bad })).toThrow(/MLC_PARTNER_CALL_TIMEOUT_MS/);
  });
});
