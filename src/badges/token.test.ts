import { describe, expect, it } from 'vitest';
import { base32, signBadge, verifyBadge } from './token.ts';

const key = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const otherKey = Buffer.from('ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100', 'hex');
const opts = { eventId: 'DEMO', key };

function flipChar(s: string, index: number): string {
  const c = s[index]!;
  return s.slice(0, index) + (c === 'A' ? 'B' : 'A') + s.slice(index + 1);
}

describe('base32', () => {
  it('matches the RFC 4648 test vectors (without padding)', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of vectors) expect(base32(Buffer.from(plain))).toBe(encoded);
  });
});

describe('signBadge / verifyBadge', () => {
  it('signs a short token in the QR alphanumeric set and verifies it back', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0123', key });
    expect(token).toMatch(/^L1\.DEMO\.D-0123\.[A-Z2-7]{16}$/);
    expect(token).toMatch(/^[0-9A-Z.-]+$/);
    expect(verifyBadge(token, opts)).toEqual({ ok: true, code: 'D-0123' });
  });

  it('ignores surrounding whitespace', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key });
    expect(verifyBadge(`  ${token}\n`, opts)).toEqual({ ok: true, code: 'D-0001' });
  });

  it('rejects an altered MAC as forged', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key });
    const verdict = verifyBadge(flipChar(token, token.length - 1), opts);
    expect(verdict).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects an altered code (MAC kept) as forged', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key });
    expect(verifyBadge(token.replace('D-0001', 'D-0002'), opts)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects a token signed with another key as forged', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key: otherKey });
    expect(verifyBadge(token, opts)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects a valid token of another event as other-event', () => {
    const token = signBadge({ eventId: 'HN-2025', code: 'D-0001', key });
    expect(verifyBadge(token, { eventId: 'HN-2025', key })).toEqual({ ok: true, code: 'D-0001' });
    const verdict = verifyBadge(token, opts);
    expect(verdict).toMatchObject({ ok: false, reason: 'other-event' });
    expect(verdict.ok ? '' : verdict.detail).toContain('HN-2025');
  });

  it('rejects a revoked code, and asks only about authentic tokens', () => {
    const asked: string[] = [];
    const isRevoked = (code: string): boolean => {
      asked.push(code);
      return code === 'D-0007';
    };
    expect(verifyBadge(signBadge({ eventId: 'DEMO', code: 'D-0007', key }), { ...opts, isRevoked })).toMatchObject({ ok: false, reason: 'revoked' });
    expect(verifyBadge(signBadge({ eventId: 'DEMO', code: 'D-0008', key }), { ...opts, isRevoked })).toEqual({ ok: true, code: 'D-0008' });
    expect(verifyBadge(signBadge({ eventId: 'DEMO', code: 'D-0009', key: otherKey }), { ...opts, isRevoked })).toMatchObject({ reason: 'forged' });
    expect(asked).toEqual(['D-0007', 'D-0008']);
  });

  it('rejects malformed text as not-a-badge', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key });
    for (const text of ['', 'https://example.com/L1', 'hello', 'L1.DEMO.D-0001', `${token}.X`, 'L1.DEMO..ABCDEFGHIJKLMNOP', 'L1.DEMO.D-0001.SHORT', 'L1.demo.D-0001.ABCDEFGHIJKLMNOP']) {
      expect(verifyBadge(text, opts), text).toMatchObject({ ok: false, reason: 'not-a-badge' });
    }
  });

  it('rejects another version as unsupported-version', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key });
    expect(verifyBadge(token.replace(/^L1/, 'L2'), opts)).toMatchObject({ ok: false, reason: 'unsupported-version' });
    expect(verifyBadge('L9.anything', opts)).toMatchObject({ ok: false, reason: 'unsupported-version' });
  });

  it('rejects a lower-cased token as not-a-badge', () => {
    const token = signBadge({ eventId: 'DEMO', code: 'D-0001', key });
    const verdict = verifyBadge(token.toLowerCase(), opts);
    expect(verdict).toMatchObject({ ok: false, reason: 'not-a-badge' });
    expect(verdict.ok ? '' : verdict.detail).toMatch(/upper-case/);
  });

  it('refuses to sign ids and codes outside the alphabet', () => {
    expect(() => signBadge({ eventId: 'demo', code: 'D-1', key })).toThrow(/event id/);
    expect(() => signBadge({ eventId: 'DEMO', code: 'D.1', key })).toThrow(/code/);
    expect(() => signBadge({ eventId: 'DEMO', code: 'A'.repeat(21), key })).toThrow(/code/);
    expect(() => signBadge({ eventId: 'A'.repeat(17), code: 'D-1', key })).toThrow(/event id/);
    expect(() => signBadge({ eventId: 'DEMO', code: '', key })).toThrow(/code/);
  });
});
