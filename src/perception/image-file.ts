import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputError, errorText } from '../shared/errors.ts';
import type { RgbaImage } from './qr-image.ts';

/** Largest image accepted (pixels): a 24-megapixel photo; anything larger is refused, not decoded. */
const MAX_PIXELS = 24_000_000;

/**
 * Reads a PNG or JPEG file into RGBA, recognising the format by its signature (not the name).
 * Throws an InputError naming the file for anything else: missing, empty, truncated, not an image.
 */
export async function readImageFile(file: string): Promise<RgbaImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err: unknown) {
    throw new InputError(`${file}: cannot read (${errorText(err)})`);
  }
  return decodeImage(bytes, file);
}

export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const kind = imageKind(bytes);
  if (kind === undefined) throw new InputError(`${file}: not an image (expected a PNG or JPEG file)`);
  try {
    if (kind === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
    return { width: img.width, height: img.height, rgba: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
  } catch (err: unknown) {
    throw new InputError(`${file}: a damaged ${kind.toUpperCase()} file (${errorText(err)})`);
  }
}

/** The image format by its signature, or undefined when the bytes are not a PNG or JPEG. */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}
