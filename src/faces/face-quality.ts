import type { RgbaImage } from '../perception/qr-image.ts';
import { faceArea, largestFirst, type DetectedFace, type Point } from './face.ts';
import {
  ENROL_MIN_EYE_DISTANCE_PX,
  PRINTED_CODE_EXTREME_SHARE,
  LIVE_MAX_FACE_WIDTH_SHARE,
  LIVE_MIN_EYE_DISTANCE_PX,
  MAX_CUT_OFF_SHARE,
  MAX_EAR_ASYMMETRY,
  MAX_NOSE_OFFSET,
  MIN_SHARPNESS,
  SECOND_FACE_AREA_SHARE,
} from './identity-policy.ts';

/** What a photo is checked for: an enrolment photo (may be a tight portrait) or a live camera frame. */
export type QualityPurpose = 'enrol' | 'live';

/** Why a face is not used. */
export type QualityRejection = 'no-face' | 'several-faces' | 'too-small' | 'too-close' | 'cut-off' | 'turned-away' | 'blurred';

/** What the kiosk can ask of the person in front of it. */
export type QualityAdvice = 'step-closer' | 'step-back' | 'one-at-a-time' | 'look-at-camera' | 'hold-still';

/** Measurements of one face; stored with an enrolment (the gallery audit reads them back). */
export interface FaceMetrics {
  /** Distance between the eye centres, image pixels. */
  readonly eyeDistancePx: number;
  /** Detector box width / image width. */
  readonly faceWidthShare: number;
  /**
   * Nose tip's offset from the eye midpoint along the eye line, in eye distances (signed;
   * 0 looking straight at the camera, about ±0.5 in half profile).
   */
  readonly noseOffset: number;
  /** (left ear span − right ear span) / their sum, ear spans measured from the eye midpoint along the eye line (signed, 0 frontal). */
  readonly earAsymmetry: number;
  /** Angle of the eye line from horizontal, degrees (head tilt). */
  readonly rollDeg: number;
  /**
   * Variance of a 4-neighbour Laplacian on the face region resampled to SHARPNESS_GRID_PX²
   * grey levels (0–255), divided by the grey-level variance of that region: independent of the
   * photo's resolution (fixed grid) and of its exposure and contrast (ratio).
   */
  readonly sharpness: number;
  /** Share of the detector box outside the image (0 when the whole face is in the photo). */
  readonly cutOffShare: number;
}

export type FaceQuality =
  | { readonly ok: true; readonly face: DetectedFace; readonly metrics: FaceMetrics }
  | {
      readonly ok: false;
      readonly reason: QualityRejection;
      readonly face?: DetectedFace;
      readonly metrics?: FaceMetrics;
      readonly advice?: QualityAdvice;
    };

/** The face region is resampled to this many pixels a side before the sharpness measure. */
const SHARPNESS_GRID_PX = 64;

/** What the kiosk says for each rejection. */
const adviceFor: Record<QualityRejection, QualityAdvice> = {
  'no-face': 'look-at-camera',
  'several-faces': 'one-at-a-time',
  'too-small': 'step-closer',
  'too-close': 'step-back',
  'cut-off': 'step-back',
  'turned-away': 'look-at-camera',
  blurred: 'hold-still',
};

/**
 * Whether the largest of `faces` (found in `image`) is good enough to enrol from (`enrol`) or
 * to identify (`live`). Checks, in order: a face at all; no second face with
 * SECOND_FACE_AREA_SHARE of its area or more; box inside the image; eye distance; (live only)
 * not filling more than LIVE_MAX_FACE_WIDTH_SHARE of the frame width; facing the camera; sharp.
 */
export function assessFace(image: RgbaImage, faces: readonly DetectedFace[], purpose: QualityPurpose): FaceQuality {
  const [face, second] = largestFirst(faces.filter((f) => !looksLikePrintedCode(image, f)));
  if (!face) return reject('no-face');
  if (second && faceArea(second) >= SECOND_FACE_AREA_SHARE * faceArea(face)) return reject('several-faces', face);
  const metrics = faceMetrics(image, face);
  if (metrics.cutOffShare > MAX_CUT_OFF_SHARE) return reject('cut-off', face, metrics);
  const minEyeDistancePx = purpose === 'enrol' ? ENROL_MIN_EYE_DISTANCE_PX : LIVE_MIN_EYE_DISTANCE_PX;
  if (metrics.eyeDistancePx < minEyeDistancePx) return reject('too-small', face, metrics);
  if (purpose === 'live' && metrics.faceWidthShare > LIVE_MAX_FACE_WIDTH_SHARE) return reject('too-close', face, metrics);
  if (Math.abs(metrics.noseOffset) > MAX_NOSE_OFFSET || Math.abs(metrics.earAsymmetry) > MAX_EAR_ASYMMETRY) return reject('turned-away', face, metrics);
  if (metrics.sharpness < MIN_SHARPNESS) return reject('blurred', face, metrics);
  return { ok: true, face, metrics };
}

function reject(reason: QualityRejection, face?: DetectedFace, metrics?: FaceMetrics): FaceQuality {
  return { ok: false, reason, advice: adviceFor[reason], ...(face ? { face } : {}), ...(metrics ? { metrics } : {}) };
}

/** Every measurement the gate uses, for one face of `image`. */
export function faceMetrics(image: RgbaImage, face: DetectedFace): FaceMetrics {
  const mid = midpoint(face.rightEye, face.leftEye);
  // rightEye is on the image's left: this axis runs left to right across the face.
  const ax = face.leftEye.x - face.rightEye.x;
  const ay = face.leftEye.y - face.rightEye.y;
  const eyeDistancePx = Math.hypot(ax, ay);
  const ux = eyeDistancePx > 0 ? ax / eyeDistancePx : 1;
  const uy = eyeDistancePx > 0 ? ay / eyeDistancePx : 0;
  const along = (p: Point): number => (p.x - mid.x) * ux + (p.y - mid.y) * uy;
  const leftSpan = Math.abs(along(face.leftEar));
  const rightSpan = Math.abs(along(face.rightEar));
  const { x0, y0, x1, y1 } = face.box;
  const boxArea = Math.max(1e-9, (x1 - x0) * (y1 - y0));
  const inside = Math.max(0, Math.min(x1, image.width) - Math.max(x0, 0)) * Math.max(0, Math.min(y1, image.height) - Math.max(y0, 0));
  return {
    eyeDistancePx,
    faceWidthShare: (x1 - x0) / image.width,
    noseOffset: eyeDistancePx > 0 ? along(face.nose) / eyeDistancePx : 0,
    earAsymmetry: leftSpan + rightSpan > 0 ? (leftSpan - rightSpan) / (leftSpan + rightSpan) : 0,
    rollDeg: (Math.atan2(ay, ax) * 180) / Math.PI,
    sharpness: sharpness(image, face),
    cutOffShare: 1 - inside / boxArea,
  };
}

function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** See FaceMetrics.sharpness. The region is the detector box (clipped to the image). */
function sharpness(image: RgbaImage, face: DetectedFace): number {
  const n = SHARPNESS_GRID_PX;
  const x0 = Math.max(0, face.box.x0);
  const y0 = Math.max(0, face.box.y0);
  const x1 = Math.min(image.width, face.box.x1);
  const y1 = Math.min(image.height, face.box.y1);
  if (x1 - x0 < 2 || y1 - y0 < 2) return 0;
  const grid = resampleGray(image, x0, y0, x1 - x0, y1 - y0, n);
  let sum = 0;
  let sumSq = 0;
  for (const v of grid) {
    sum += v;
    sumSq += v * v;
  }
  const grayVariance = sumSq / grid.length - (sum / grid.length) ** 2;
  if (grayVariance <= 1e-6) return 0;
  let lapSum = 0;
  let lapSq = 0;
  let count = 0;
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      const i = y * n + x;
      const lap = (grid[i - 1] ?? 0) + (grid[i + 1] ?? 0) + (grid[i - n] ?? 0) + (grid[i + n] ?? 0) - 4 * (grid[i] ?? 0);
      lapSum += lap;
      lapSq += lap * lap;
      count++;
    }
  }
  return (lapSq / count - (lapSum / count) ** 2) / grayVariance;
}

/**
 * The rectangle (x, y, w, h) of `image` as an n×n grid of grey levels, each cell the mean of
 * the pixels it covers (area averaging when shrinking; bilinear when the region is smaller).
 */
function resampleGray(image: RgbaImage, x: number, y: number, w: number, h: number, n: number): Float32Array {
  const out = new Float32Array(n * n);
  const sub = Math.max(1, Math.min(8, Math.ceil(Math.max(w, h) / n)));
  for (let gy = 0; gy < n; gy++) {
    for (let gx = 0; gx < n; gx++) {
      let acc = 0;
      for (let sy = 0; sy < sub; sy++) {
        for (let sx = 0; sx < sub; sx++) {
          const px = x + ((gx + (sx + 0.5) / sub) * w) / n - 0.5;
          const py = y + ((gy + (sy + 0.5) / sub) * h) / n - 0.5;
          acc += grayAt(image, px, py);
        }
      }
      out[gy * n + gx] = acc / (sub * sub);
    }
  }
  return out;
}

/** Bilinear grey level (Rec. 601 luma) at a sub-pixel position, clamped to the image. */
function grayAt(image: RgbaImage, x: number, y: number): number {
  const { width, height, rgba } = image;
  const cx = Math.min(width - 1, Math.max(0, x));
  const cy = Math.min(height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const g = (px: number, py: number): number => {
    const i = (py * width + px) * 4;
    return 0.299 * (rgba[i] ?? 0) + 0.587 * (rgba[i + 1] ?? 0) + 0.114 * (rgba[i + 2] ?? 0);
  };
  return (g(x0, y0) * (1 - fx) + g(x1, y0) * fx) * (1 - fy) + (g(x0, y1) * (1 - fx) + g(x1, y1) * fx) * fy;
}

/**
 * BlazeFace takes a QR code held up to the camera for a face (a badge beside a face would then
 * read as "two people"). A printed code is almost only ink and paper: the share of near-black
 * (< 48) and near-white (> 208) grey levels in the inner 80 % of the box is PRINTED_CODE_EXTREME_SHARE
 * or more. Measured: badge QR detections 0.97–0.98; 790 detections on the benchmark photos:
 * median 0.05, 99th percentile 0.37, main faces at most 0.63 (the two above 0.9 were small
 * false detections in the background).
 */
export function looksLikePrintedCode(image: RgbaImage, face: DetectedFace): boolean {
  const w = face.box.x1 - face.box.x0;
  const h = face.box.y1 - face.box.y0;
  const x0 = Math.max(0, Math.floor(face.box.x0 + 0.1 * w));
  const x1 = Math.min(image.width, Math.ceil(face.box.x1 - 0.1 * w));
  const y0 = Math.max(0, Math.floor(face.box.y0 + 0.1 * h));
  const y1 = Math.min(image.height, Math.ceil(face.box.y1 - 0.1 * h));
  let pixels = 0;
  let extreme = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      const grey = 0.2126 * (image.rgba[i] ?? 0) + 0.7152 * (image.rgba[i + 1] ?? 0) + 0.0722 * (image.rgba[i + 2] ?? 0);
      pixels += 1;
      if (grey < 48 || grey > 208) extreme += 1;
    }
  }
  return pixels > 0 && extreme / pixels >= PRINTED_CODE_EXTREME_SHARE;
}
