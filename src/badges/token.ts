import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Badge token (DESIGN.md, Badge QR): `L1.<EVENT>.<CODE>.<MAC>`.
 * MAC = HMAC-SHA256(key, 'L1.<EVENT>.<CODE>') truncated to 10 bytes, RFC 4648 base32
 * upper-case without padding (16 characters). Every character is in the QR alphanumeric
 * set (0-9 A-Z . -), so the code stays small with big modules. Names never go in the QR.
 */
export const BADGE_VERSION = 'L1';
export const EVENT_ID_PATTERN = /^[A-Z0-9-]{1,16}$/;
export const BADGE_CODE_PATTERN = /^[A-Z0-9-]{1,20}$/;

const MAC_BYTES = 10;
const MAC_PATTERN = /^[A-Z2-7]{16}$/;
const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type BadgeRejection = 'not-a-badge' | 'unsupported-version' | 'other-event' | 'forged' | 'revoked';
export type BadgeVerdict = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly reason: BadgeRejection; readonly detail: string };

/** RFC 4648 base32, upper-case, no padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function mac(key: Buffer, body: string): string {
  return base32(createHmac('sha256', key).update(body, 'ascii').digest().subarray(0, MAC_BYTES));
}

/** Signs a badge. Throws RangeError when the event id or code is outside its alphabet or length. */
export function signBadge({ eventId, code, key }: { eventId: string; code: string; key: Buffer }): string {
  if (!EVENT_ID_PATTERN.test(eventId)) throw new RangeError(`event id '${eventId}': expected 1–16 of A–Z, 0–9, -`);
  if (!BADGE_CODE_PATTERN.test(code)) throw new RangeError(`delegate code '${code}': expected 1–20 of A–Z, 0–9, -`);
  if (key.length === 0) throw new RangeError('badge key is empty');
  const body = `${BADGE_VERSION}.${eventId}.${code}`;
  return `${body}.${mac(key, body)}`;
}

function reject(reason: BadgeRejection, detail: string): BadgeVerdict {
  return { ok: false, reason, detail };
}

/**
 * Verifies a scanned text. Surrounding whitespace is ignored; anything else must match
 * exactly (tokens are upper-case). A token of another event is 'other-event' whatever its
 * MAC; an altered code or MAC is 'forged'; the MAC is compared in constant time.
 * `isRevoked` is asked only about authentic tokens.
 */
export function verifyBadge(text: string, { eventId, key, isRevoked }: { eventId: string; key: Buffer; isRevoked?: (code: string) => boolean }): BadgeVerdict {
  const token = text.trim();
  const parts = token.split('.');
  const version = parts[0] ?? '';
  if (!/^L[0-9]+$/.test(version)) {
    if (/^l[0-9]+$/.test(version)) return reject('not-a-badge', 'lower-case text: badge tokens are upper-case');
    return reject('not-a-badge', `does not start with ${BADGE_VERSION}.`);
  }
  if (version !== BADGE_VERSION) return reject('unsupported-version', `version ${version}; this build reads ${BADGE_VERSION}`);
  if (parts.length !== 4) return reject('not-a-badge', `expected 4 dot-separated parts, got ${parts.length}`);
  const [, event = '', code = '', tokenMac = ''] = parts;
  if (!EVENT_ID_PATTERN.test(event)) return reject('not-a-badge', 'malformed event id');
  if (!BADGE_CODE_PATTERN.test(code)) return reject('not-a-badge', 'malformed delegate code');
  if (!MAC_PATTERN.test(tokenMac)) return reject('not-a-badge', 'malformed signature');
  if (event !== eventId) return reject('other-event', `badge of event ${event}, this is ${eventId}`);
  const expected = Buffer.from(mac(key, `${version}.${event}.${code}`), 'ascii');
  if (!timingSafeEqual(expected, Buffer.from(tokenMac, 'ascii'))) return reject('forged', `signature does not match code ${code}`);
  if (isRevoked?.(code)) return reject('revoked', `badge ${code} was revoked`);
  return { ok: true, code };
}
