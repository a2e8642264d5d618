import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { decodeQr, engineOf, Views, type QrDecode } from '../perception/qr-decode.ts';
import { decodeWithJsqr, decodeWithZxing, type QrEngine } from '../perception/qr-engines.ts';
import { adaptiveThreshold, adjustGamma, otsuLevel, stretchContrast, threshold, type GrayImage, type RgbaImage } from '../perception/qr-image.ts';
import { defaultQrDeadlineMs, QrReader } from '../perception/qr-reader.ts';
import { InputError, where } from '../shared/errors.ts';
import { parseCommandArgs } from '../shared/args.ts';
import { benchmarkSet } from '../shared/paths.ts';
import { summarize } from '../shared/stats.ts';

/**
 * `letan bench qr [--set DIR] [--deadline MS] [--json] [--no-worker]`: the shipped QR
 * ladder on the real photos of benchmarks/qr (cases/<name>/input.png + output.json).
 *
 * - verified: the decoded text equals the expected `data`; or (jsQR 1.4 wrote the
 *   expected file and cannot decode Shift_JIS) the expected bytes decode to that text in
 *   Shift_JIS, Latin-1 or UTF-8, the charsets zxing chooses between.
 * - cases expected `null` (jsQR failed upstream): a decode counts only when the other
 *   library, independent of the one that read it, reads the same text (any rung of its
 *   own, no deadline); otherwise it is listed as unverified.
 * - wrong: decoded text differs from the expected one.
 */

interface Case {
  readonly name: string;
  readonly image: RgbaImage;
  /** The expected text, or null when jsQR upstream could not read the photo. */
  readonly expected: string | null;
  readonly expectedBytes: Uint8Array | null;
}

type Verdict = 'verified' | 'unverified' | 'wrong' | 'missed';

const charsets = ['shift_jis', 'latin1', 'utf-8'].map((label) => new TextDecoder(label));

function loadCases(setDir: string): Case[] {
  const casesDir = join(setDir, 'cases');
  if (!existsSync(casesDir)) {
    throw new InputError(`${casesDir}: expected the QR benchmark set (cases/<name>/input.png + output.json); set LETAN_SHARED or pass --set DIR`);
  }
  const cases: Case[] = [];
  for (const name of readdirSync(casesDir).sort()) {
    const pngFile = join(casesDir, name, 'input.png');
    const jsonFile = join(casesDir, name, 'output.json');
    if (!existsSync(pngFile)) continue;
    const png = PNG.sync.read(readFileSync(pngFile));
    const expected = parseExpected(jsonFile, readFileSync(jsonFile, 'utf8'));
    cases.push({
      name,
      image: { width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length) },
      expected: expected?.data ?? null,
      expectedBytes: expected ? Uint8Array.from(expected.binaryData) : null,
    });
  }
  if (cases.length === 0) throw new InputError(`${casesDir}: expected cases/<name>/input.png files; found none`);
  return cases;
}

function parseExpected(file: string, text: string): { data: string; binaryData: number[] } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err: unknown) {
    throw new InputError(`${where(file)}: expected JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (value === null) return null;
  if (typeof value === 'object' && 'data' in value && typeof value.data === 'string' && 'binaryData' in value && Array.isArray(value.binaryData)) {
    return { data: value.data, binaryData: value.binaryData.filter((b): b is number => typeof b === 'number') };
  }
  throw new InputError(`${where(file, undefined, 'data')}: expected null or jsQR's result object with data and binaryData`);
}

/**
 * Confirmation views: sizes and binarisations each library gets when confirming a read
 * of the other one. Wider than the shipped ladder (no deadline here): a confirmation
 * only needs the same text from an independent locator and decoder.
 */
const confirmViews: readonly ((v: Views) => GrayImage)[] = [
  (v) => v.full(),
  ...[200, 250, 300, 400, 500, 600, 800].map((side) => (v: Views) => v.fit(side)),
  ...[0.5, 1 / 3, 2].map((scale) => (v: Views) => (scale > 1 && v.full().width * v.full().height > 400 * 400 ? v.full() : v.scaled(scale))),
  (v) => { const g = v.fit(400); return threshold(g, otsuLevel(g)); },
  (v) => { const g = v.fit(600); return adaptiveThreshold(g, Math.max(6, Math.round(Math.max(g.width, g.height) / 15)), 3); },
  (v) => stretchContrast(v.fit(600), 0.02),
  (v) => adjustGamma(v.fit(600), 2),
  (v) => adjustGamma(v.fit(600), 0.5),
];

const confirmers: Record<QrEngine, (gray: GrayImage) => string | null> = {
  jsqr: (gray) => decodeWithJsqr(gray, 'attemptBoth'),
  zxing: (gray) => decodeWithZxing(gray, 'hybrid') ?? decodeWithZxing(gray, 'global'),
};

/** Whether the library other than the one behind `decode.strategy` reads the same text. */
function confirmedIndependently(image: RgbaImage, decode: QrDecode): boolean {
  const views = new Views(image);
  const other: QrEngine = engineOf(decode.strategy) === 'jsqr' ? 'zxing' : 'jsqr';
  return confirmViews.some((view) => confirmers[other](view(views)) === decode.text);
}

function judge(c: Case, decode: QrDecode | null): Verdict {
  if (!decode) return 'missed';
  if (c.expected === null) return confirmedIndependently(c.image, decode) ? 'verified' : 'unverified';
  if (decode.text === c.expected) return 'verified';
  if (c.expectedBytes && charsets.some((d) => d.decode(c.expectedBytes!) === decode.text)) return 'verified';
  return 'wrong';
}

async function workerOverheadMs(cases: readonly Case[], deadlineMs: number): Promise<number[]> {
  const reader = new QrReader({ workers: 1, deadlineMs });
  const overheads: number[] = [];
  try {
    for (const [seq, c] of cases.entries()) {
      const startMs = performance.now();
      const decode = await reader.read({ ...c.image, capturedAtMs: Date.now(), seq });
      if (decode) overheads.push(performance.now() - startMs - decode.decodeMs);
    }
  } finally {
    await reader.close();
  }
  return overheads;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'bench qr',
    args,
    { set: { type: 'string' }, deadline: { type: 'string' }, json: { type: 'boolean' }, 'no-worker': { type: 'boolean' } },
    false,
  );
  const setDir = values.set ? resolve(values.set) : benchmarkSet('qr').path;
  const deadlineMs = values.deadline === undefined ? defaultQrDeadlineMs : Number(values.deadline);
  if (!(deadlineMs > 0)) throw new InputError(`--deadline: expected a positive number of milliseconds, got '${values.deadline}'`);
  const cases = loadCases(setDir);

  const counts: Record<Verdict, string[]> = { verified: [], unverified: [], wrong: [], missed: [] };
  const msPerPhoto: number[] = [];
  const byStrategy = new Map<string, number>();
  for (const c of cases) {
    const startMs = performance.now();
    const decode = decodeQr(c.image, { deadlineMs });
    msPerPhoto.push(performance.now() - startMs);
    const verdict = judge(c, decode);
    counts[verdict].push(c.name);
    if (decode && verdict === 'verified') byStrategy.set(decode.strategy, (byStrategy.get(decode.strategy) ?? 0) + 1);
    if (verdict === 'wrong' || verdict === 'unverified') {
      console.log(`  ${verdict.padEnd(10)} ${c.name}: ${JSON.stringify(decode?.text.slice(0, 60))} (${decode?.strategy})`);
    }
  }
  const overheads = values['no-worker'] ? [] : await workerOverheadMs(cases, deadlineMs);

  const total = cases.length;
  const ms = summarize(msPerPhoto, [50, 90]);
  console.log(`QR ladder on ${total} photos of ${setDir} (deadline ${deadlineMs} ms, in-process)`);
  console.log(`  verified   ${counts.verified.length} (${((100 * counts.verified.length) / total).toFixed(1)} %)`);
  console.log(`  unverified ${counts.unverified.length}  wrong ${counts.wrong.length}  not read ${counts.missed.length}`);
  console.log(`  ms per photo: p50 ${ms.p50}  p90 ${ms.p90}  max ${summarize(msPerPhoto, [100]).p100}`);
  console.log(`  verified by rung: ${[...byStrategy].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  const overhead = overheads.length > 0 ? summarize(overheads, [50, 90]) : undefined;
  if (overhead) console.log(`  worker path overhead (copy, transfer, messages): p50 ${overhead.p50} ms  p90 ${overhead.p90} ms`);
  if (values.json) {
    const summary = {
      verified: counts.verified.length,
      unverified: counts.unverified.length,
      total,
      rate: Math.round((counts.verified.length / total) * 1000) / 1000,
      ms,
      wrong: counts.wrong.length,
      missed: counts.missed.length,
      deadline_ms: deadlineMs,
      ...(overhead ? { worker_overhead_ms: overhead } : {}),
    };
    console.log(JSON.stringify(summary));
  }
  return 0;
}
