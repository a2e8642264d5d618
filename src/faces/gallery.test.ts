import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DelegateRepository } from '../delegates/repository.ts';
import type { Delegate } from '../delegates/types.ts';
import { benchmarkSet } from '../shared/paths.ts';
import { inputErrorOf, tempDirPerTest } from '../shared/test-support.ts';
import { readAudit } from '../store/audit.ts';
import { getMeta } from '../store/meta.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { enrolmentFeature, useFaceEngine } from './face-test-support.ts';
import { FEATURE_DIM, featureFromBytes, featureToBytes, meanFeature, type FaceFeature } from './face-features.ts';
import { type FaceMetrics } from './face-quality.ts';
import { FaceGallery, GALLERY_MEAN_KEY } from './gallery.ts';
import { FEATURE_MODEL_ID } from './identity-policy.ts';

const T0 = Date.UTC(2025, 10, 20, 1, 0);
const quality: FaceMetrics = { eyeDistancePx: 46, faceWidthShare: 0.44, noseOffset: 0.05, earAsymmetry: 0.1, rollDeg: 2, sharpness: 0.2, cutOffShare: 0 };

function delegate(code: string, fullName = `Đại biểu ${code}`): Delegate {
  return { code, fullName, title: '', delegation: '', seat: `S-${code}`, photo: '', language: 'vi', needs: [] };
}

/** A reproducible feature: values from a small linear congruential generator seeded by `seed`. */
function feature(seed: number): FaceFeature {
  const out = new Float32Array(FEATURE_DIM);
  let s = seed * 7919 + 1;
  for (let i = 0; i < FEATURE_DIM; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648;
  }
  return out;
}

let dir = '';
tempDirPerTest('letan-gallery-', (d) => (dir = d));
let store: Store;
let gallery: FaceGallery;

beforeEach(() => {
  store = openStore(join(dir, 'event.sqlite'));
  new DelegateRepository(store.db).replaceAll(['D-0001', 'D-0002', 'D-0003', 'D-0004'].map((c) => delegate(c)));
  gallery = new FaceGallery(store.db, { now: () => T0, device: 'test' });
});
afterEach(() => store.close());

function consentAndEnrol(code: string, f: FaceFeature): number {
  const consentId = gallery.recordConsent({ code, givenAtMs: T0 - 86_400_000, recordedBy: 'staff:Lan', method: 'signed-form' });
  gallery.enroll({ code, feature: f, quality, consentId, atMs: T0, actor: 'operator:Lan', device: 'test' });
  return consentId;
}

describe('FaceGallery (real SQLite)', () => {
  it('records a consent for a delegate, refuses one for an unknown code or method', () => {
    const id = gallery.recordConsent({ code: 'D-0001', givenAtMs: T0, recordedBy: 'staff:Lan', method: 'kiosk' });
    expect(gallery.currentConsent('D-0001')).toEqual({ id, code: 'D-0001', givenAtMs: T0, recordedBy: 'staff:Lan', method: 'kiosk', withdrawnAtMs: null });
    expect(inputErrorOf(() => gallery.recordConsent({ code: 'D-9999', givenAtMs: T0, recordedBy: 'staff:Lan', method: 'kiosk' })).message).toContain('D-9999: not a delegate');
    const method = 'email' as 'kiosk';
    expect(inputErrorOf(() => gallery.recordConsent({ code: 'D-0001', givenAtMs: T0, recordedBy: 'staff:Lan', method })).message).toContain('expected one of signed-form');
  });

  it('refuses to enrol without a current consent, and stores nothing', () => {
    const err = inputErrorOf(() => gallery.enroll({ code: 'D-0001', feature: feature(1), quality, consentId: 1, atMs: T0, actor: 'a', device: 'test' }));
    expect(err.problems).toEqual(['D-0001: no current face consent (record the consent first)']);
    expect(gallery.count()).toBe(0);
  });

  it('enrols, keeps the gallery mean in meta, and audits without the vector', () => {
    consentAndEnrol('D-0001', feature(1));
    consentAndEnrol('D-0002', feature(2));
    expect(gallery.count()).toBe(2);
    expect(gallery.entries().map((e) => e.code)).toEqual(['D-0001', 'D-0002']);
    expect(Array.from(gallery.mean()!)).toEqual(Array.from(meanFeature([feature(1), feature(2)])));
    expect(getMeta(store.db, GALLERY_MEAN_KEY)).toBe(featureToBytes(meanFeature([feature(1), feature(2)])).toString('base64'));
    const enrol = readAudit(store.db).filter((a) => a.action === 'faces.enroll');
    expect(enrol.map((a) => a.detail.code)).toEqual(['D-0002', 'D-0001']);
    const log = JSON.stringify(readAudit(store.db));
    expect(log.length).toBeLessThan(4000);
    expect(log).not.toContain(featureToBytes(feature(1)).toString('base64').slice(0, 40));
  });

  it('replaces an older embedding of the same delegate', () => {
    const consentId = consentAndEnrol('D-0001', feature(1));
    gallery.enroll({ code: 'D-0001', feature: feature(9), quality, consentId, atMs: T0 + 1, actor: 'a', device: 'test' });
    expect(gallery.count()).toBe(1);
    expect(Array.from(gallery.entries()[0]!.feature)).toEqual(Array.from(feature(9)));
    expect(Array.from(gallery.mean()!)).toEqual(Array.from(feature(9)));
  });

  it('deletes the embedding when consent is withdrawn, and refuses to enrol on the withdrawn consent', () => {
    const consentId = consentAndEnrol('D-0001', feature(1));
    consentAndEnrol('D-0002', feature(2));
    gallery.withdrawConsent('D-0001', T0 + 10, 'operator:Lan');
    expect(gallery.entries().map((e) => e.code)).toEqual(['D-0002']);
    expect(Array.from(gallery.mean()!)).toEqual(Array.from(feature(2)));
    expect(gallery.consents('D-0001')[0]?.withdrawnAtMs).toBe(T0 + 10);
    expect(readAudit(store.db, 1)[0]).toMatchObject({ action: 'faces.consent-withdrawn', detail: { code: 'D-0001', embeddingDeleted: true } });
    expect(inputErrorOf(() => gallery.enroll({ code: 'D-0001', feature: feature(1), quality, consentId, atMs: T0, actor: 'a', device: 'test' })).problems[0]).toContain('no current face consent');
    expect(inputErrorOf(() => gallery.withdrawConsent('D-0001', T0 + 20, 'a')).message).toContain('no current face consent');
  });

  it('removes a delegate, and the mean goes with the last one', () => {
    consentAndEnrol('D-0001', feature(1));
    expect(gallery.remove('D-0001', 'operator:Lan')).toBe(true);
    expect(gallery.remove('D-0001', 'operator:Lan')).toBe(false);
    expect(gallery.count()).toBe(0);
    expect(gallery.mean()).toBeUndefined();
    expect(getMeta(store.db, GALLERY_MEAN_KEY)).toBeUndefined();
    expect(gallery.currentConsent('D-0001')).toBeDefined();
  });

  it('replaces the per-person thresholds, which the entries carry; refuses a code that is not enrolled', () => {
    consentAndEnrol('D-0001', feature(1));
    consentAndEnrol('D-0002', feature(2));
    gallery.setThresholds([{ code: 'D-0001', minScore: 0.5, reason: 'look-alike of D-0002 (0.45)' }], 'audit');
    expect(gallery.entries().map((e) => e.minScore)).toEqual([0.5, null]);
    gallery.setThresholds([{ code: 'D-0002', minScore: 0.45, reason: 'x' }], 'audit');
    expect(gallery.thresholds()).toEqual([{ code: 'D-0002', minScore: 0.45, reason: 'x' }]);
    expect(inputErrorOf(() => gallery.setThresholds([{ code: 'D-0003', minScore: 0.5, reason: 'x' }], 'audit')).problems).toEqual(['D-0003: not enrolled']);
    expect(gallery.thresholds()).toHaveLength(1);
  });

  it("ignores embeddings of another model (they must be re-enrolled)", () => {
    consentAndEnrol('D-0001', feature(1));
    consentAndEnrol('D-0002', feature(2));
    store.db.prepare("UPDATE face_embeddings SET model = 'old-model/v0' WHERE code = 'D-0001'").run();
    expect(gallery.entries().map((e) => e.code)).toEqual(['D-0002']);
    expect(gallery.count()).toBe(1);
    expect(gallery.matcher().size).toBe(1);
    expect(store.db.prepare('SELECT model FROM face_embeddings WHERE code = ?').pluck().get('D-0002')).toBe(FEATURE_MODEL_ID);
  });

  it('stores the vector as float32 bytes, nothing else', () => {
    consentAndEnrol('D-0001', feature(1));
    const vector = store.db.prepare('SELECT vector FROM face_embeddings').pluck().get() as Buffer;
    expect(vector.byteLength).toBe(FEATURE_DIM * 4);
    expect(Array.from(featureFromBytes(vector))).toEqual(Array.from(feature(1)));
  });
});

describe('re-importing the delegates list with face data on record', () => {
  it('refuses to drop an enrolled delegate or one whose consent is on record, and to give their code to someone else', () => {
    consentAndEnrol('D-0001', feature(1));
    gallery.recordConsent({ code: 'D-0002', givenAtMs: T0, recordedBy: 'staff:Lan', method: 'kiosk' });
    const repo = new DelegateRepository(store.db);
    const dropped = inputErrorOf(() => repo.replaceAll([delegate('D-0003'), delegate('D-0004')]));
    expect(dropped.message).toContain('drops 2 delegate(s) with face check-in data on record');
    expect(dropped.problems).toEqual(['D-0001: has an enrolled face', 'D-0002: has a face consent on record']);
    const renamed = inputErrorOf(() => repo.replaceAll([delegate('D-0001', 'Someone Else'), delegate('D-0002')]));
    expect(renamed.problems).toEqual(['D-0001: Đại biểu D-0001 → Someone Else (has an enrolled face)']);
    expect(repo.count()).toBe(4);
    repo.replaceAll([delegate('D-0001'), delegate('D-0002')]);
    expect(gallery.count()).toBe(1);
  });
});

interface ManifestImage {
  identity: string;
  file: string;
  role: 'enroll' | 'query' | 'impostor';
}

const faces = benchmarkSet('faces-asian');
if (!faces.present) console.warn(`gallery identification test skipped: ${faces.path} missing`);

describe.skipIf(!faces.present)('gallery identification with real inference (faces-asian)', () => {
  const engine = useFaceEngine();

  const featureOf = (file: string): Promise<{ feature: FaceFeature; quality: FaceMetrics }> => enrolmentFeature(engine(), join(faces.path, file));

  it('ranks each enrolled person first for another photo of them', async () => {
    const images = (JSON.parse(readFileSync(join(faces.path, 'manifest.json'), 'utf8')) as { images: ManifestImage[] }).images;
    const people = ['Ai_Sugiyama', 'Kim_Dae-jung', 'Wen_Jiabao', 'Gloria_Macapagal_Arroyo'];
    const codes = new Map(people.map((p, i) => [p, `D-000${i + 1}`]));
    for (const [person, code] of codes) {
      const enrolImage = images.find((i) => i.identity === person && i.role === 'enroll')!;
      const { feature: f, quality: q } = await featureOf(enrolImage.file);
      const consentId = gallery.recordConsent({ code, givenAtMs: T0, recordedBy: 'staff:Lan', method: 'signed-form' });
      gallery.enroll({ code, feature: f, quality: q, consentId, atMs: T0, actor: 'operator:Lan', device: 'test' });
    }
    const matcher = gallery.matcher();
    expect(matcher.size).toBe(codes.size);
    for (const [person, code] of codes) {
      const query = images.find((i) => i.identity === person && i.role === 'query')!;
      const ranked = matcher.rank((await featureOf(query.file)).feature);
      expect(ranked[0]?.code, `${query.file}: ${JSON.stringify(ranked)}`).toBe(code);
    }
  });
});
