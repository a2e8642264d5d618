import QRCode from 'qrcode';
import { BADGE_QR_OPTIONS, badgeSegments } from '../badges/render.ts';
import type { Clock } from '../shared/clock.ts';
import { frameTicks } from './frame-ticks.ts';
import type { Frame, FrameSource } from './frame.ts';
import {
  addGaussianSpot,
  addSensorNoise,
  applyMat3,
  createRaster,
  drawProjected,
  fillEllipse,
  fillRect,
  fillVerticalGradient,
  gaussianBlur,
  vignette,
  type Mat3,
  type Raster,
  type Rgb,
} from './raster.ts';
import { seededRandom, type Random } from './seeded-random.ts';

export const GENERATED_WIDTH = 640;
export const GENERATED_HEIGHT = 480;

/** Focal length (px) of the simulated lens: about 56° horizontal field of view at 640 px. */
const FOCAL_PX = 600;
const EDGE_MARGIN_PX = 6;
const QUIET_MODULES = 4;
/** White card around the quiet zone, and the printed text area below the code (modules). */
const CARD_MARGIN_MODULES = 1.5;
const CARD_TEXT_MODULES = 9;
const INK = 0x1e1e22;
const PAPER = 0xf5f4ef;
const GREY_TEXT = 0x6a6a70;
const RED_BAND = 0xb01c22;

/** Seeds of independent random streams, so adding draws to one does not shift the others. */
const STREAM = { background: 1, pose: 2, frame: 3 } as const;

export interface GeneratedFrameSourceOptions {
  readonly fps: number;
  readonly seed: number;
  readonly clock: Clock;
}

/** How a badge is held up during one presentation. */
interface CardPose {
  readonly qrSidePx: number;
  readonly rollRad: number;
  readonly pitchRad: number;
  readonly yawRad: number;
  readonly centerX: number;
  readonly centerY: number;
  readonly brightness: number;
  readonly shadeU: number;
  readonly shadeV: number;
}

interface Presentation {
  readonly token: string;
  readonly modules: { readonly size: number; readonly dark: Uint8Array };
  readonly pose: CardPose;
}

function jitterRgb(c: Rgb, rng: Random, amount: number): Rgb {
  return [c[0] + rng.range(-amount, amount), c[1] + rng.range(-amount, amount), c[2] + rng.range(-amount, amount)];
}

/** A congress hall seen from the entrance: wall, red stage backdrop with slogans, lamps, seat rows, people. */
function renderHall(seed: number): Raster {
  const rng = seededRandom(seed, STREAM.background);
  const W = GENERATED_WIDTH;
  const H = GENERATED_HEIGHT;
  const r = createRaster(W, H);
  const horizon = Math.round(H * rng.range(0.5, 0.62));
  fillVerticalGradient(r, 0, horizon, jitterRgb([222, 208, 182], rng, 12), jitterRgb([188, 168, 140], rng, 12));
  fillVerticalGradient(r, horizon, H, jitterRgb([128, 62, 52], rng, 10), jitterRgb([78, 38, 34], rng, 8));

  for (let i = rng.int(2, 4); i > 0; i--) {
    const x = rng.range(0, W);
    fillRect(r, { x0: x, y0: 0, x1: x + rng.range(20, 45), y1: horizon }, [236, 228, 210], 0.55);
  }
  const bx0 = W * rng.range(0.15, 0.32);
  const bx1 = bx0 + W * rng.range(0.38, 0.55);
  const by0 = H * rng.range(0.05, 0.12);
  const by1 = by0 + (horizon - by0) * rng.range(0.65, 0.85);
  fillRect(r, { x0: bx0, y0: by0, x1: bx1, y1: by1 }, jitterRgb([176, 22, 28], rng, 10));
  const emblemR = (by1 - by0) * 0.16;
  fillEllipse(r, (bx0 + bx1) / 2, by0 + emblemR * 1.4, emblemR, emblemR, [242, 200, 40]);
  for (let line = 0; line < 3; line++) {
    const y = by0 + emblemR * 3 + line * (by1 - by0) * 0.16;
    const inset = (bx1 - bx0) * rng.range(0.08, 0.2);
    for (let x = bx0 + inset; x < bx1 - inset; x += rng.range(6, 14)) {
      fillRect(r, { x0: x, y0: y, x1: x + rng.range(3, 9), y1: y + (by1 - by0) * 0.07 }, [245, 208, 60], 0.9);
    }
  }
  for (let i = rng.int(3, 6); i > 0; i--) addGaussianSpot(r, rng.range(0, W), rng.range(0, H * 0.08), rng.range(10, 30), rng.range(0.3, 0.7));

  for (let row = 0; row < 7; row++) {
    const t = (row + 1) / 8;
    const y = horizon + (H - horizon) * t ** 1.4;
    const seatW = 10 + 38 * t;
    const seatH = 6 + 22 * t;
    for (let x = -rng.range(0, seatW); x < W; x += seatW * 1.25) {
      fillRect(r, { x0: x, y0: y - seatH, x1: x + seatW, y1: y }, [96, 20, 26]);
      fillRect(r, { x0: x, y0: y - seatH, x1: x + seatW, y1: y - seatH * 0.8 }, [140, 40, 44]);
    }
  }
  for (let i = rng.int(3, 7); i > 0; i--) {
    const x = rng.range(0, W);
    const scale = rng.range(0.6, 1.4);
    const y = horizon + rng.range(-10, 40);
    const suit = jitterRgb([40, 42, 52], rng, 15);
    fillEllipse(r, x, y - 70 * scale, 26 * scale, 60 * scale, suit);
    fillEllipse(r, x, y - 140 * scale, 13 * scale, 16 * scale, jitterRgb([196, 150, 120], rng, 20));
    fillEllipse(r, x, y - 150 * scale, 13 * scale, 8 * scale, [28, 24, 22]);
  }
  addSensorNoise(r, 4, rng);
  gaussianBlur(r, 0.9);
  vignette(r, 0.25);
  return r;
}

function multiply3(a: Mat3, b: Mat3): Mat3 {
  const m = (i: number, j: number): number => a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  return [m(0, 0), m(0, 1), m(0, 2), m(1, 0), m(1, 1), m(1, 2), m(2, 0), m(2, 1), m(2, 2)];
}

function rotation(rollRad: number, pitchRad: number, yawRad: number): Mat3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(rollRad), Math.sin(rollRad), Math.cos(pitchRad), Math.sin(pitchRad), Math.cos(yawRad), Math.sin(yawRad)];
  const rz: Mat3 = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const rx: Mat3 = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const ry: Mat3 = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  return multiply3(rz, multiply3(rx, ry));
}

/**
 * Homography card → image for a card of texW×texH modules whose QR (`qrModules` wide)
 * appears `qrSidePx` tall when facing the camera, centred at (centerX, centerY).
 */
function cardHomography(pose: CardPose, qrModules: number, texW: number, texH: number): Mat3 {
  const R = rotation(pose.rollRad, pose.pitchRad, pose.yawRad);
  const cx = GENERATED_WIDTH / 2;
  const cy = GENERATED_HEIGHT / 2;
  const z = (FOCAL_PX * qrModules) / pose.qrSidePx;
  const C = [((pose.centerX - cx) * z) / FOCAL_PX, ((pose.centerY - cy) * z) / FOCAL_PX, z] as const;
  const r1 = [R[0], R[3], R[6]] as const;
  const r2 = [R[1], R[4], R[7]] as const;
  const t = [0, 1, 2].map((k) => C[k]! - (texW / 2) * r1[k]! - (texH / 2) * r2[k]!) as [number, number, number];
  return [
    FOCAL_PX * r1[0] + cx * r1[2], FOCAL_PX * r2[0] + cx * r2[2], FOCAL_PX * t[0] + cx * t[2],
    FOCAL_PX * r1[1] + cy * r1[2], FOCAL_PX * r2[1] + cy * r2[2], FOCAL_PX * t[1] + cy * t[2],
    r1[2], r2[2], t[2],
  ];
}

function cardSize(qrModules: number): { texW: number; texH: number } {
  const side = qrModules + 2 * QUIET_MODULES + 2 * CARD_MARGIN_MODULES;
  return { texW: side, texH: side + CARD_TEXT_MODULES };
}

function fitsInFrame(h: Mat3, texW: number, texH: number): boolean {
  return [applyMat3(h, 0, 0), applyMat3(h, texW, 0), applyMat3(h, texW, texH), applyMat3(h, 0, texH)].every(
    ([x, y]) => x >= EDGE_MARGIN_PX && y >= EDGE_MARGIN_PX && x <= GENERATED_WIDTH - EDGE_MARGIN_PX && y <= GENERATED_HEIGHT - EDGE_MARGIN_PX,
  );
}

const DEG = Math.PI / 180;

/** A random but readable pose: QR 25–45 % of the frame height, roll ±20°, tilt ±25°, whole card in view. */
function choosePose(rng: Random, qrModules: number): CardPose {
  const { texW, texH } = cardSize(qrModules);
  let pose: CardPose | null = null;
  for (let attempt = 0; attempt < 30; attempt++) {
    const candidate: CardPose = {
      qrSidePx: GENERATED_HEIGHT * rng.range(0.25, 0.45) * (attempt < 20 ? 1 : 0.8),
      rollRad: rng.range(-20, 20) * DEG,
      pitchRad: rng.range(-25, 25) * DEG,
      yawRad: rng.range(-25, 25) * DEG,
      centerX: GENERATED_WIDTH * rng.range(0.25, 0.75),
      centerY: GENERATED_HEIGHT * rng.range(0.4, 0.6),
      brightness: rng.range(0.78, 1),
      shadeU: rng.range(-0.12, 0.12),
      shadeV: rng.range(-0.12, 0.12),
    };
    pose = candidate;
    if (fitsInFrame(cardHomography(candidate, qrModules, texW, texH), texW, texH)) return candidate;
  }
  return { ...pose!, qrSidePx: GENERATED_HEIGHT * 0.25, centerX: GENERATED_WIDTH / 2, centerY: GENERATED_HEIGHT / 2, rollRad: 0, pitchRad: 0, yawRad: 0 };
}

function qrModules(token: string): { size: number; dark: Uint8Array } {
  const alphanumeric = /^[0-9A-Z $%*+\-./:]+$/.test(token);
  const qr = QRCode.create(alphanumeric ? badgeSegments(token) : token, { errorCorrectionLevel: BADGE_QR_OPTIONS.errorCorrectionLevel });
  const size = qr.modules.size;
  const dark = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) for (let col = 0; col < size; col++) dark[row * size + col] = qr.modules.get(row, col) ? 1 : 0;
  return { size, dark };
}

/**
 * The demo camera: 640×480 frames of a generated hall at `fps` in clock time, and while a
 * badge is held up (`present(token)`) its QR on a white card in a random, readable
 * perspective with mild blur, glare and sensor noise. Frame content depends only on the
 * seed, the frame's seq and the presentations so far: same seed, same frames.
 */
export class GeneratedFrameSource implements FrameSource {
  readonly description: string;
  private readonly background: Raster;
  private readonly closer = new AbortController();
  private presentation: Presentation | null = null;
  private presentations = 0;
  private nextSeq = 0;

  constructor(private readonly opts: GeneratedFrameSourceOptions) {
    if (!(opts.fps > 0)) throw new RangeError(`fps must be > 0, got ${opts.fps}`);
    this.description = `generated:seed=${opts.seed}`;
    this.background = renderHall(opts.seed);
  }

  /** Holds a badge with this QR text up to the camera; null takes it away. Same token again keeps the pose. */
  present(token: string | null): void {
    if (token === null) {
      this.presentation = null;
      return;
    }
    if (this.presentation?.token === token) return;
    const modules = qrModules(token);
    const pose = choosePose(seededRandom(this.opts.seed, STREAM.pose, this.presentations++), modules.size);
    this.presentation = { token, modules, pose };
  }

  get presented(): string | null {
    return this.presentation?.token ?? null;
  }

  /** Renders the next frame now, without the timer (benchmarks). */
  renderFrame(nowMs: number): Frame {
    return this.render(this.nextSeq++, nowMs);
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    const stop = signal ? AbortSignal.any([signal, this.closer.signal]) : this.closer.signal;
    const base = this.nextSeq;
    for await (const tick of frameTicks(this.opts.clock, 1000 / this.opts.fps, stop)) {
      const seq = base + tick.seq;
      this.nextSeq = seq + 1;
      yield this.render(seq, tick.atMs);
    }
  }

  close(): Promise<void> {
    this.closer.abort();
    return Promise.resolve();
  }

  private render(seq: number, nowMs: number): Frame {
    const raster: Raster = { width: GENERATED_WIDTH, height: GENERATED_HEIGHT, rgba: new Uint8ClampedArray(this.background.rgba) };
    const rng = seededRandom(this.opts.seed, STREAM.frame, seq);
    if (this.presentation) this.drawBadge(raster, this.presentation, rng);
    addSensorNoise(raster, rng.range(1.5, 5), rng);
    return { width: raster.width, height: raster.height, rgba: raster.rgba, capturedAtMs: nowMs, seq };
  }

  private drawBadge(raster: Raster, p: Presentation, rng: Random): void {
    const n = p.modules.size;
    const { texW, texH } = cardSize(n);
    // A hand never holds still: small per-frame movement around the presentation's pose.
    const pose: CardPose = {
      ...p.pose,
      rollRad: p.pose.rollRad + rng.range(-1.5, 1.5) * DEG,
      centerX: p.pose.centerX + rng.range(-3, 3),
      centerY: p.pose.centerY + rng.range(-3, 3),
    };
    const toImage = cardHomography(pose, n, texW, texH);
    const qr0 = CARD_MARGIN_MODULES + QUIET_MODULES;
    const textTop = texW;
    const sample = (u: number, v: number): number => {
      const mu = Math.floor(u - qr0);
      const mv = Math.floor(v - qr0);
      if (mu >= 0 && mv >= 0 && mu < n && mv < n) return p.modules.dark[mv * n + mu] ? INK : PAPER;
      if (v >= texH - 1.5) return RED_BAND;
      const line = v - textTop;
      if (line >= 0.5 && line < 2.5 && u > 2 && u < texW * 0.8) return INK;
      if (line >= 3.5 && line < 4.7 && u > 2 && u < texW * 0.6) return GREY_TEXT;
      if (line >= 5.5 && line < 6.7 && u > 2 && u < texW * 0.5) return GREY_TEXT;
      return PAPER;
    };
    const shade = (u: number, v: number): number => pose.brightness * (1 + pose.shadeU * (u / texW - 0.5) + pose.shadeV * (v / texH - 0.5));
    const box = drawProjected(raster, toImage, texW, texH, sample, shade);
    const [thumbX, thumbY] = applyMat3(toImage, texW * 0.5, texH - 0.5);
    const cardPx = pose.qrSidePx * (texW / n);
    fillEllipse(raster, thumbX, thumbY + cardPx * 0.05, cardPx * 0.12, cardPx * 0.08, [196, 148, 118]);
    gaussianBlur(raster, rng.range(0.3, 0.9), { x0: box.x0 - 4, y0: box.y0 - 4, x1: box.x1 + 4, y1: box.y1 + 4 });
    const [glareX, glareY] = applyMat3(toImage, rng.range(0.2, 0.8) * texW, rng.range(0.2, 0.8) * texW);
    addGaussianSpot(raster, glareX, glareY, pose.qrSidePx * rng.range(0.06, 0.18), rng.range(0.15, 0.45));
  }
}
