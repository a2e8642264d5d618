/**
 * Byte offset of the first byte that does not start or continue a valid UTF-8 sequence
 * (overlong forms, surrogates and code points past U+10FFFF count as invalid), or -1.
 * Used only to say WHERE a file stops being UTF-8; decoding itself is TextDecoder's.
 */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  let i = from;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line number of byte `offset` (lines end at LF; a lone CR also ends a line). */
export function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line += 1;
  }
  return line;
}

/** Lines (1-based, ascending, distinct) holding bytes that are not UTF-8. */
export function invalidUtf8Lines(bytes: Uint8Array): number[] {
  const lines: number[] = [];
  let line = 1;
  let scanned = 0;
  for (let at = firstInvalidUtf8(bytes); at >= 0; at = firstInvalidUtf8(bytes, at + 1)) {
    line += lineOfByte(bytes.subarray(scanned, at), at - scanned) - 1;
    scanned = at;
    if (lines.at(-1) !== line) lines.push(line);
  }
  return lines;
}
