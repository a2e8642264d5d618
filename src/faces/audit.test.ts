import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import { benchmarkSet } from '../shared/paths.ts';
import { tempDirPerTest } from '../shared/test-support.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { auditGallery, computeAudit, retakeReasons } from './audit.ts';
import { enrolmentFeature, useFaceEngine } from './face-test-support.ts';
import { FEATURE_DIM, type FaceFeature } from './face-features.ts';
import { type FaceMetrics } from './face-quality.ts';
import { FaceGallery } from './gallery.ts';
import { ACCEPT_SCORE, LOOKALIKE_MARGIN, LOOKALIKE_SCORE } from './identity-policy.ts';

const T0 = Date.UTC(2025, 10, 20, 1, 0);
const good: FaceMetrics = { eyeDistancePx: 46, faceWidthShare: 0.44, noseOffset: 0.05, earAsymmetry: 0.1, rollDeg: 2, sharpness: 0.2, cutOffShare: 0 };

/** A reproducible random feature; `near` adds a small offset to another one instead. */
function feature(seed: number, near?: FaceFeature): FaceFeature {
  const out = new Float32Array(FEATURE_DIM);
  let s = seed * 7919 + 1;
  for (let i = 0; i < FEATURE_DIM; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const r = s / 2147483648;
    out[i] = near ? (near[i] ?? 0) + 0.3 * (r - 0.5) : r;
  }
  return out;
}

let dir = '';
tempDirPerTest('letan-audit-', (d) => (dir = d));
let store: Store;
let gallery: FaceGallery;
const codes = ['D-0001', 'D-0002', 'D-0003', 'D-0004', ...Array.from({ length: 11 }, (_, i) => `D-${String(i + 10).padStart(4, '0')}`)];

beforeEach(() => {
  store = openStore(join(dir, 'event.sqlite'));
  new DelegateRepository(store.db).replaceAll(codes.map((code) => ({ code, fullName: code, title: '', delegation: '', seat: `S-${code}`, photo: '', language: 'vi', needs: [] })));
  gallery = new FaceGallery(store.db, { now: () => T0 });
});
afterEach(() => store.close());

function enrol(code: string, f: FaceFeature, quality: FaceMetrics = good): void {
  const consentId = gallery.recordConsent({ code, givenAtMs: T0, recordedBy: 'staff:Lan', method: 'signed-form' });
  gallery.enroll({ code, feature: f, quality, consentId, atMs: T0, actor: 'operator:Lan', device: 'test' });
}

describe('gallery audit', () => {
  it('finds the look-alike pair and raises both delegates above their pair score', () => {
    const base = feature(1);
    enrol('D-0001', base);
    enrol('D-0002', feature(2, base));
    enrol('D-0003', feature(3));
    enrol('D-0004', feature(4));
    const audit = computeAudit(gallery.matcher(), gallery.enrolments());
    expect(audit.enrolled).toBe(4);
    expect(audit.pairs).toBe(6);
    expect(audit.lookalikes.map((p) => [p.a, p.b])).toEqual([['D-0001', 'D-0002']]);
    const score = audit.lookalikes[0]!.score;
    expect(score).toBeGreaterThanOrEqual(LOOKALIKE_SCORE);
    const minScore = Math.round(Math.max(ACCEPT_SCORE, score + LOOKALIKE_MARGIN) * 1000) / 1000;
    expect(audit.thresholds).toEqual([
      { code: 'D-0001', minScore, reason: `look-alike of D-0002 (${score.toFixed(2)})` },
      { code: 'D-0002', minScore, reason: `look-alike of D-0001 (${score.toFixed(2)})` },
    ]);
    expect(audit.scores?.max).toBeCloseTo(score, 6);
  });

  it('stores the thresholds (replacing the last audit’s), which the matcher then carries', () => {
    const base = feature(1);
    enrol('D-0001', base);
    enrol('D-0002', feature(2, base));
    enrol('D-0003', feature(3));
    auditGallery(gallery, 'operator:Lan');
    expect(gallery.entries().map((e) => [e.code, e.minScore !== null])).toEqual([
      ['D-0001', true],
      ['D-0002', true],
      ['D-0003', false],
    ]);
    gallery.remove('D-0002', 'operator:Lan');
    expect(auditGallery(gallery, 'operator:Lan').lookalikes).toEqual([]);
    expect(gallery.thresholds()).toEqual([]);
  });

  it('suggests retaking photos whose measurements were close to the enrolment limits', () => {
    expect(retakeReasons(good)).toEqual([]);
    expect(retakeReasons({ ...good, eyeDistancePx: 26, noseOffset: -0.45, sharpness: 0.033, cutOffShare: 0.13 })).toEqual([
      'small face (26 px between the eyes)',
      'face partly turned away',
      'face at the edge of the photo',
      'soft focus (sharpness 0.033)',
    ]);
    enrol('D-0001', feature(1));
    enrol('D-0002', feature(2), { ...good, earAsymmetry: 0.7 });
    expect(computeAudit(gallery.matcher(), gallery.enrolments()).retakes).toEqual([{ code: 'D-0002', reasons: ['face partly turned away'] }]);
  });

  it('reports an empty gallery without pairs', () => {
    expect(computeAudit(gallery.matcher(), [])).toMatchObject({ enrolled: 0, pairs: 0, scores: null, lookalikes: [], thresholds: [], retakes: [] });
  });
});

const asian = benchmarkSet('faces-asian');
if (!asian.present) console.warn(`gallery audit test with real photos skipped: ${asian.path} missing`);

describe.skipIf(!asian.present)('gallery audit with real inference (faces-asian)', () => {
  const engine = useFaceEngine();
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  const images = (): { identity: string; file: string; role: string }[] =>
    (JSON.parse(readFileSync(join(asian.path, 'manifest.json'), 'utf8')) as { images: { identity: string; file: string; role: string }[] }).images;

  async function enrolPhoto(code: string, file: string): Promise<void> {
    const { feature, quality } = await enrolmentFeature(engine(), join(asian.path, file));
    const consentId = gallery.recordConsent({ code, givenAtMs: T0, recordedBy: 'staff:Lan', method: 'signed-form' });
    gallery.enroll({ code, feature, quality, consentId, atMs: T0, actor: 'a', device: 'test' });
  }

  it('flags one person enrolled under two codes as look-alikes, and no pair of different people (letan faces audit --json)', async () => {
    // Scores are centred by the gallery mean: with only a handful enrolled, that mean is mostly
    // the enrolled people themselves and pushes every pair apart (-1/(n-1) on average), so the
    // gallery here has a dozen people besides the duplicate.
    const all = images();
    const others = all.filter((i) => i.role === 'enroll' && i.identity !== 'Zhu_Rongji').slice(0, 11);
    for (const [i, image] of others.entries()) await enrolPhoto(`D-${String(i + 10).padStart(4, '0')}`, image.file);
    // Two photos of one person that the identity model finds very alike (raw cosine 0.93).
    await enrolPhoto('D-0003', all.find((i) => i.identity === 'Zhu_Rongji' && i.role === 'enroll')!.file);
    await enrolPhoto('D-0004', 'images/lfw/Zhu_Rongji/Zhu_Rongji_0003.jpg');
    store.close();
    expect(await main(['faces', 'audit', '--store', join(dir, 'event.sqlite'), '--json'])).toBe(0);
    const printed = vi.mocked(console.log).mock.calls.map((c) => String(c[0])).join('\n');
    const report = JSON.parse(printed) as { lookalikes: { a: string; b: string; score: number }[]; thresholds: { code: string }[] };
    expect(report.lookalikes.map((p) => [p.a, p.b])).toEqual([['D-0003', 'D-0004']]);
    expect(report.thresholds.map((t) => t.code)).toEqual(['D-0003', 'D-0004']);
    store = openStore(join(dir, 'event.sqlite'));
    expect(new FaceGallery(store.db).thresholds().map((t) => t.code)).toEqual(['D-0003', 'D-0004']);
    expect(readFileSync(join(dir, 'event.sqlite')).length).toBeGreaterThan(0);
  });
});
