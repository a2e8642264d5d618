import { describe, expect, it } from 'vitest';
import { checkRetention } from './retention.ts';

const config = { timeZone: 'Asia/Ho_Chi_Minh', biometrics: { retainUntil: '2025-12-01', retainUntilMs: Date.UTC(2025, 11, 1, 17) - 1 } };

describe('biometric retention', () => {
  it('allows face data up to the last millisecond of the retention day', () => {
    expect(checkRetention(config, Date.UTC(2025, 11, 1, 16, 59, 59, 999))).toEqual({ ok: true });
  });

  it('refuses once the day is over, naming the date and the purge command', () => {
    const check = checkRetention(config, Date.UTC(2025, 11, 1, 17));
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.message).toContain('2025-12-01');
    expect(check.message).toContain('Asia/Ho_Chi_Minh');
    expect(check.message).toContain('letan purge --biometrics');
  });

  it('allows face data without a retention date', () => {
    expect(checkRetention({ timeZone: 'Asia/Ho_Chi_Minh', biometrics: null }, Date.UTC(2099, 0, 1))).toEqual({ ok: true });
  });
});
