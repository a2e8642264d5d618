import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFile } from '../perception/image-file.ts';
import type { RgbaImage } from '../perception/qr-image.ts';
import { gaussianBlur } from '../perception/raster.ts';
import { benchmarkSet } from '../shared/paths.ts';
import type { DetectedFace } from './face.ts';
import { FaceDetector } from './face-detector.ts';
import { assessFace, faceMetrics } from './face-quality.ts';

const faces = benchmarkSet('faces');
const asian = benchmarkSet('faces-asian');
const gallery = benchmarkSet('faces-gallery');
const qr = benchmarkSet('qr');
const present = faces.present && asian.present && qr.present;
if (!present) console.warn(`face quality tests skipped: benchmark images missing (${[faces, asian, qr].filter((s) => !s.present).map((s) => s.path).join(', ')})`);

const sugiyama = join(asian.path, 'images/lfw/Ai_Sugiyama/Ai_Sugiyama_0001.jpg');
const wen = join(asian.path, 'images/lfw/Wen_Jiabao/Wen_Jiabao_0001.jpg');
/** A 150×150 crop the face fills (a tight portrait). */
const amy = join(faces.path, 'images/faceapijs/amy/amy1.png');

/** A synthetic face with the landmarks of a frontal face in a 200 px box at (x, y). */
function syntheticFace(x: number, y: number, size: number): DetectedFace {
  const at = (fx: number, fy: number): { x: number; y: number } => ({ x: x + fx * size, y: y + fy * size });
  return {
    box: { x0: x, y0: y, x1: x + size, y1: y + size },
    rightEye: at(0.3, 0.35),
    leftEye: at(0.7, 0.35),
    nose: at(0.5, 0.55),
    mouth: at(0.5, 0.75),
    rightEar: at(0.02, 0.45),
    leftEar: at(0.98, 0.45),
  };
}

describe('face quality gate: rules (synthetic landmarks)', () => {
  const image: RgbaImage = { width: 640, height: 480, rgba: new Uint8ClampedArray(640 * 480 * 4).fill(128) };

  it('refuses a second face of 30 % of the largest face\'s area or more, not a smaller one in the background', () => {
    const main = syntheticFace(100, 100, 200);
    expect(assessFace(image, [syntheticFace(400, 50, 200 * Math.sqrt(0.3) + 0.5), main], 'live')).toMatchObject({ ok: false, reason: 'several-faces', advice: 'one-at-a-time', face: main });
    const background = assessFace(image, [syntheticFace(400, 50, 200 * Math.sqrt(0.29)), main], 'live');
    expect(background.ok || background.reason !== 'several-faces').toBe(true);
  });

  it('says no face, and asks to look at the camera', () => {
    expect(assessFace(image, [], 'enrol')).toEqual({ ok: false, reason: 'no-face', advice: 'look-at-camera' });
  });
});

describe.skipIf(!present)('face quality gate on real photos (BlazeFace)', () => {
  let detector: FaceDetector;
  beforeAll(async () => {
    detector = await FaceDetector.load();
  });
  afterAll(() => detector?.dispose());

  const assess = async (image: RgbaImage, purpose: 'enrol' | 'live' = 'enrol') => assessFace(image, await detector.detect(image), purpose);

  it('passes enrolment photos, with their measurements', async () => {
    for (const file of [sugiyama, wen, amy]) {
      const q = await assess(await readImageFile(file));
      expect(q.ok, file).toBe(true);
      if (!q.ok) continue;
      expect(q.metrics.eyeDistancePx).toBeGreaterThan(30);
      expect(Math.abs(q.metrics.rollDeg)).toBeLessThan(15);
    }
  });

  it('finds no face in a photo of a QR code', async () => {
    const q = await assess(await readImageFile(join(qr.path, 'cases/0/input.png')));
    expect(q).toEqual({ ok: false, reason: 'no-face', advice: 'look-at-camera' });
  });

  it('refuses two faces side by side', async () => {
    const q = await assess(sideBySide(await readImageFile(sugiyama), await readImageFile(wen)));
    expect(q).toMatchObject({ ok: false, reason: 'several-faces', advice: 'one-at-a-time' });
  });

  it('refuses a face shrunk to 32 px (20 px is not even found)', async () => {
    const photo = await readImageFile(sugiyama);
    expect(await assess(shrink(photo, 32))).toMatchObject({ ok: false, reason: 'too-small', advice: 'step-closer' });
    expect(await assess(shrink(photo, 20))).toMatchObject({ ok: false, reason: 'no-face' });
  });

  it('refuses a blurred photo and asks to hold still', async () => {
    const photo = await readImageFile(sugiyama);
    const face = (await detector.detect(photo))[0]!;
    gaussianBlur(photo, 0.04 * (face.box.x1 - face.box.x0));
    expect(await assess(photo)).toMatchObject({ ok: false, reason: 'blurred', advice: 'hold-still' });
  });

  it('refuses a face cut off by the edge of the photo', async () => {
    const photo = await readImageFile(sugiyama);
    const face = (await detector.detect(photo))[0]!;
    const q = await assess(crop(photo, Math.round(face.box.x0 + 0.6 * (face.box.x1 - face.box.x0)), photo.height));
    expect(q).toMatchObject({ ok: false, reason: 'cut-off' });
  });

  it('takes a tight portrait for enrolment but calls it too close on a live camera', async () => {
    const photo = await readImageFile(amy);
    expect((await assess(photo, 'enrol')).ok).toBe(true);
    expect(await assess(photo, 'live')).toMatchObject({ ok: false, reason: 'too-close', advice: 'step-back' });
  });

  it.skipIf(!gallery.present)('refuses a face turned away (a near profile)', async () => {
    const q = await assess(await readImageFile(join(gallery.path, 'images/Ken_Watanabe/Ken_Watanabe_0001.jpg')));
    expect(q).toMatchObject({ ok: false, reason: 'turned-away', advice: 'look-at-camera' });
  });

  it('measures sharpness independently of the resolution', async () => {
    const photo = await readImageFile(wen);
    const base = faceMetrics(photo, (await detector.detect(photo))[0]!).sharpness;
    for (const factor of [2, 3]) {
      const big = enlarge(photo, factor);
      const s = faceMetrics(big, (await detector.detect(big))[0]!).sharpness;
      expect(Math.abs(s - base) / base, `×${factor}`).toBeLessThan(0.1);
    }
  });
});

function sideBySide(a: RgbaImage, b: RgbaImage): RgbaImage {
  const width = a.width + b.width;
  const height = Math.max(a.height, b.height);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < a.height; y++) rgba.set(a.rgba.subarray(y * a.width * 4, (y + 1) * a.width * 4), y * width * 4);
  for (let y = 0; y < b.height; y++) rgba.set(b.rgba.subarray(y * b.width * 4, (y + 1) * b.width * 4), (y * width + a.width) * 4);
  return { width, height, rgba };
}

/** The whole photo averaged down to size×size pixels. */
function shrink(img: RgbaImage, size: number): RgbaImage {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [sx0, sx1] = [Math.floor((x * img.width) / size), Math.floor(((x + 1) * img.width) / size)];
      const [sy0, sy1] = [Math.floor((y * img.height) / size), Math.floor(((y + 1) * img.height) / size)];
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let yy = sy0; yy < sy1; yy++) for (let xx = sx0; xx < sx1; xx++) sum += img.rgba[(yy * img.width + xx) * 4 + c] ?? 0;
        rgba[(y * size + x) * 4 + c] = sum / ((sx1 - sx0) * (sy1 - sy0));
      }
    }
  }
  return { width: size, height: size, rgba };
}

/** Nearest-neighbour enlargement by a whole factor (no detail added or lost). */
function enlarge(img: RgbaImage, factor: number): RgbaImage {
  const width = img.width * factor;
  const height = img.height * factor;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const from = (Math.floor(y / factor) * img.width + Math.floor(x / factor)) * 4;
      rgba.set(img.rgba.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

/** The top-left width×height of the photo. */
function crop(img: RgbaImage, width: number, height: number): RgbaImage {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) rgba.set(img.rgba.subarray(y * img.width * 4, (y * img.width + width) * 4), y * width * 4);
  return { width, height, rgba };
}
