import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import { benchmarkSet } from '../shared/paths.ts';
import { tempDirPerTest } from '../shared/test-support.ts';
import { readAudit } from '../store/audit.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { enrolmentFeature } from './face-test-support.ts';
import { InProcessFaceEngine } from './face-engine.ts';
import { featureToBytes, type FaceFeature } from './face-features.ts';
import { type FaceMetrics } from './face-quality.ts';
import { FaceGallery, GALLERY_MEAN_KEY } from './gallery.ts';
import { purgeBiometrics, type PurgeReceipt } from './purge.ts';

const asian = benchmarkSet('faces-asian');
if (!asian.present) console.warn(`biometric purge tests skipped: ${asian.path} missing (they purge real embeddings)`);

const T0 = Date.UTC(2025, 11, 2, 2, 0);

describe.skipIf(!asian.present)('biometric purge (real embeddings, real SQLite files)', () => {
  let features: { code: string; feature: FaceFeature; quality: FaceMetrics }[] = [];
  beforeAll(async () => {
    const engine = await InProcessFaceEngine.load();
    try {
      for (const [code, person] of [
        ['D-0001', 'Ai_Sugiyama'],
        ['D-0002', 'Kim_Dae-jung'],
      ] as const) {
        features.push({ code, ...(await enrolmentFeature(engine, join(asian.path, `images/lfw/${person}/${person}_0001.jpg`))) });
      }
    } finally {
      await engine.close();
    }
  });
  afterAll(() => {
    features = [];
  });

  let dir = '';
  tempDirPerTest('letan-purge-', (d) => (dir = d));
  let store: Store;
  const storeFile = (): string => join(dir, 'event.sqlite');

  beforeEach(() => {
    store = openStore(storeFile());
    new DelegateRepository(store.db).replaceAll(
      ['D-0001', 'D-0002', 'D-0003'].map((code) => ({ code, fullName: code, title: '', delegation: '', seat: `S-${code}`, photo: '', language: 'vi' as const, needs: [] })),
    );
    const gallery = new FaceGallery(store.db, { now: () => T0 });
    for (const f of features) {
      const consentId = gallery.recordConsent({ code: f.code, givenAtMs: T0 - 1, recordedBy: 'staff:Lan', method: 'signed-form' });
      gallery.enroll({ ...f, consentId, atMs: T0, actor: 'operator:Lan', device: 'test' });
    }
    gallery.recordConsent({ code: 'D-0003', givenAtMs: T0 - 1, recordedBy: 'staff:Lan', method: 'kiosk' });
    gallery.setThresholds([{ code: 'D-0001', minScore: 0.5, reason: 'test' }], 'audit');
  });
  afterEach(() => store.close());

  /** Whether any SQLite file of the store holds `bytes`. */
  function onDisk(bytes: Buffer): string[] {
    return ['event.sqlite', 'event.sqlite-wal', 'event.sqlite-journal'].filter((f) => existsSync(join(dir, f)) && readFileSync(join(dir, f)).includes(bytes));
  }
  /** Two 64-byte windows of each enrolled vector: its start and its middle. */
  const probes = (): Buffer[] =>
    features.flatMap(({ feature }) => {
      const bytes = featureToBytes(feature);
      return [bytes.subarray(0, 64), bytes.subarray(bytes.length / 2, bytes.length / 2 + 64)];
    });

  it('deletes every embedding, threshold and the mean in one go, keeps the consents, and leaves no vector byte in the files', () => {
    expect(probes().some((p) => onDisk(p).length > 0)).toBe(true); // the check below can see them
    const { receipt, receiptFile } = purgeBiometrics(store, { nowMs: T0 + 1000, actor: 'operator:Lan', device: 'test' });

    const digest = createHash('sha256');
    for (const { code, feature } of features) digest.update(Buffer.concat([Buffer.from(code), Buffer.of(0), featureToBytes(feature)]));
    expect(receipt).toEqual({
      purgedAtMs: T0 + 1000,
      purgedAt: '2025-12-02T02:00:01.000Z',
      embeddings: 2,
      thresholds: 1,
      consentsKept: 3,
      digest: digest.digest('hex'),
      store: store.path,
    });
    expect(receiptFile).toBe(join(dir, 'biometric-purge-20251202T020001Z.json'));
    expect(JSON.parse(readFileSync(receiptFile, 'utf8'))).toEqual(receipt);
    const kept = store.db.prepare('SELECT receipt FROM biometric_purges').pluck().all() as string[];
    expect(kept.map((r) => JSON.parse(r) as PurgeReceipt)).toEqual([receipt]);
    expect(readAudit(store.db, 1)[0]).toMatchObject({ action: 'faces.purge', detail: { embeddings: 2 } });

    const gallery = new FaceGallery(store.db);
    expect(gallery.count()).toBe(0);
    expect(gallery.mean()).toBeUndefined();
    expect(gallery.thresholds()).toEqual([]);
    expect(gallery.consents()).toHaveLength(3);
    expect(store.db.prepare('SELECT count(*) FROM meta WHERE key = ?').pluck().get(GALLERY_MEAN_KEY)).toBe(0);

    for (const p of probes()) expect(onDisk(p)).toEqual([]);
    store.close();
    for (const p of probes()) expect(onDisk(p)).toEqual([]);
  });

  it('letan faces withdraw CODE: deletes that delegate\'s vector from the files, keeps the others and the consent record', async () => {
    const [gone, kept] = features as [(typeof features)[number], (typeof features)[number]];
    const window = (f: FaceFeature): Buffer => featureToBytes(f).subarray(0, 64);
    store.close();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['faces', 'withdraw', gone.code, '--store', storeFile(), '--operator', 'Lan'])).toBe(0);
    log.mockRestore();
    store = openStore(storeFile());
    const gallery = new FaceGallery(store.db);
    expect(gallery.entries().map((e) => e.code)).toEqual([kept.code]);
    expect(gallery.currentConsent(gone.code)).toBeUndefined();
    expect(gallery.consents(gone.code)[0]?.withdrawnAtMs).not.toBeNull();
    expect(onDisk(window(gone.feature))).toEqual([]);
    expect(onDisk(window(kept.feature)).length).toBeGreaterThan(0);
    store.close();
    const again = await main(['faces', 'withdraw', gone.code, '--store', storeFile()]).catch((err: unknown) => err);
    expect(again).not.toBe(0);
    store = openStore(storeFile());
  });

  it('says so when another connection keeps the deleted bytes in the WAL (the rows are gone all the same)', () => {
    const reader = new BetterSqlite3(storeFile());
    try {
      reader.prepare('BEGIN').run();
      reader.prepare('SELECT count(*) FROM face_embeddings').get();
      expect(() => purgeBiometrics(store, { nowMs: T0, actor: 'a', device: 'test' })).toThrow(/another process has the store open.*stop letan and run the purge again/);
      expect(new FaceGallery(store.db).count()).toBe(0);
      reader.prepare('COMMIT').run();
    } finally {
      reader.close();
    }
    const again = purgeBiometrics(store, { nowMs: T0 + 1, actor: 'a', device: 'test' });
    expect(again.receipt.embeddings).toBe(0);
    expect(again.receiptFile).toBe(join(dir, 'biometric-purge-20251202T020000Z-2.json')); // the first purge's receipt is kept
    for (const p of probes()) expect(onDisk(p)).toEqual([]);
  });

  describe('letan purge --biometrics', () => {
    let printed: string[] = [];
    beforeEach(() => {
      printed = [];
      vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
      vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    });
    afterEach(() => vi.restoreAllMocks());

    it('refuses without --yes when nobody can be asked, and purges with it, printing the receipt', async () => {
      store.close();
      expect(await main(['purge', '--biometrics', '--store', storeFile()])).toBe(2);
      expect(printed.join('\n')).toContain('refusing to delete face data without confirmation');
      expect(await main(['purge', '--store', storeFile(), '--yes'])).toBe(2);
      expect(printed.join('\n')).toContain('--biometrics');
      store = openStore(storeFile());
      expect(new FaceGallery(store.db).count()).toBe(2);
      store.close();

      printed = [];
      expect(await main(['purge', '--biometrics', '--store', storeFile(), '--yes'])).toBe(0);
      const receipt = JSON.parse(printed[0]!) as PurgeReceipt;
      expect(receipt).toMatchObject({ embeddings: 2, thresholds: 1, consentsKept: 3, store: storeFile() });
      expect(readdirSync(dir).filter((f) => f.startsWith('biometric-purge-'))).toHaveLength(1);
      store = openStore(storeFile());
      expect(new FaceGallery(store.db).count()).toBe(0);
      for (const p of probes()) expect(onDisk(p)).toEqual([]);
    });
  });
});
