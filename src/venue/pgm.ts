/**
 * Netpbm greymaps (PGM): P5 (binary, 8- or 16-bit) and P2 (ASCII), as Nav2 map_server
 * reads them. Errors name the file and what was expected.
 */
import { InputError } from '../shared/errors.ts';

export interface Greymap {
  readonly width: number;
  readonly height: number;
  readonly maxval: number;
  /** Row-major from the top image row; values 0..maxval. */
  readonly pixels: Uint16Array;
}

export function parsePgm(bytes: Uint8Array, file: string): Greymap {
  let pos = 0;
  const fail = (field: string, what: string): never => {
    throw new InputError(`${file}: ${field}: ${what}`);
  };
  const token = (field: string): string => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
      if (bytes[pos] === 0x23 /* # */) {
        while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos++;
        continue;
      }
      break;
    }
    const start = pos;
    while (pos < bytes.length && !isSpace(bytes[pos]!) && bytes[pos] !== 0x23) pos++;
    if (start === pos) fail(field, 'expected a value, got the end of the file (truncated header)');
    return String.fromCharCode(...bytes.subarray(start, pos));
  };
  const positiveInt = (field: string, max: number): number => {
    const text = token(field);
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= 1 && value <= max)) fail(field, `expected an integer 1..${max}, got '${text}'`);
    return value;
  };

  const magic = token('magic');
  if (magic !== 'P5' && magic !== 'P2') fail('magic', `expected 'P5' or 'P2' (a PGM greymap), got '${magic.slice(0, 8)}'`);
  const width = positiveInt('width', 100_000);
  const height = positiveInt('height', 100_000);
  const maxval = positiveInt('maxval', 65_535);
  const count = width * height;
  const pixels = new Uint16Array(count);

  if (magic === 'P5') {
    // Exactly one whitespace byte separates maxval from the raster.
    pos++;
    const bytesPerSample = maxval > 255 ? 2 : 1;
    const expectedBytes = count * bytesPerSample;
    const got = Math.max(0, bytes.length - pos);
    if (got < expectedBytes) fail('pixels', `expected ${expectedBytes} bytes for ${width}x${height}, got ${got} (truncated)`);
    if (got > expectedBytes) fail('pixels', `expected ${expectedBytes} bytes for ${width}x${height}, got ${got} (size does not match the header)`);
    for (let i = 0; i < count; i++) {
      const v = bytesPerSample === 1 ? bytes[pos + i]! : (bytes[pos + 2 * i]! << 8) | bytes[pos + 2 * i + 1]!;
      if (v > maxval) fail(`pixel ${i}`, `expected 0..${maxval}, got ${v}`);
      pixels[i] = v;
    }
  } else {
    for (let i = 0; i < count; i++) {
      while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
      if (pos >= bytes.length) fail('pixels', `expected ${count} values for ${width}x${height}, got ${i} (truncated)`);
      const text = token(`pixel ${i}`);
      const v = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!(v >= 0 && v <= maxval)) fail(`pixel ${i}`, `expected 0..${maxval}, got '${text}'`);
      pixels[i] = v;
    }
    while (pos < bytes.length && isSpace(bytes[pos]!)) pos++;
    if (pos < bytes.length) fail('pixels', `expected ${count} values for ${width}x${height}, got more (size does not match the header)`);
  }
  return { width, height, maxval, pixels };
}

/** Binary 8-bit PGM (P5, maxval 255); `pixels` row-major from the top row. */
export function encodePgm(width: number, height: number, pixels: Uint8Array, comment?: string): Buffer {
  if (pixels.length !== width * height) throw new RangeError(`expected ${width * height} pixels, got ${pixels.length}`);
  const header = Buffer.from(`P5\n${comment ? `# ${comment}\n` : ''}${width} ${height}\n255\n`, 'latin1');
  return Buffer.concat([header, pixels]);
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0b || byte === 0x0c;
}
