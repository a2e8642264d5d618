import jsqrModule from 'jsqr';
import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  GlobalHistogramBinarizer,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { toRgba, type GrayImage } from './qr-image.ts';

// jsqr is CommonJS: Node's default import is `module.exports`, whose `default` is jsQR.
const jsQR = jsqrModule.default;

/**
 * The two QR decoding libraries behind one shape: a grayscale image in, the text or
 * null out. They never throw for "no code found"; they are independent implementations
 * (locator, binariser, decoder), which the benchmark uses to confirm a read.
 */
export type QrEngine = 'jsqr' | 'zxing';

/** jsQR 1.4's `onlyInvert` crashes; invert the image instead (see `invert`). */
export type JsqrInversion = 'dontInvert' | 'attemptBoth' | 'invertFirst';

/** jsQR (its own local binariser), optionally also on the inverted image. */
export function decodeWithJsqr(gray: GrayImage, inversion: JsqrInversion = 'dontInvert'): string | null {
  try {
    return jsQR(toRgba(gray), gray.width, gray.height, { inversionAttempts: inversion })?.data ?? null;
  } catch {
    // jsQR throws on a few degenerate locator results; for the ladder that is "not read".
    return null;
  }
}

export type ZxingBinarizer = 'hybrid' | 'global';

const zxingHints = new Map<DecodeHintType, unknown>([
  [DecodeHintType.TRY_HARDER, true],
  [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.QR_CODE]],
]);

/** @zxing/library's QRCodeReader with TRY_HARDER; null when it finds or decodes nothing. */
export function decodeWithZxing(gray: GrayImage, binarizer: ZxingBinarizer): string | null {
  const source = new RGBLuminanceSource(gray.data, gray.width, gray.height);
  const bitmap = new BinaryBitmap(binarizer === 'hybrid' ? new HybridBinarizer(source) : new GlobalHistogramBinarizer(source));
  try {
    return new QRCodeReader().decode(bitmap, zxingHints).getText();
  } catch {
    // zxing reports "not found", "checksum" and "format" failures as exceptions alike.
    return null;
  }
}
