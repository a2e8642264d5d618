import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import type { Delegate } from '../delegates/types.ts';
import { benchmarkSet } from '../shared/paths.ts';
import { inputErrorOf, tempDirPerTest } from '../shared/test-support.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { useFaceEngine } from './face-test-support.ts';
import { enrollPlan, planFolder, planFromDelegates, readConsentCsv, type EnrolDeps } from './enroll.ts';
import { FaceGallery } from './gallery.ts';

const asian = benchmarkSet('faces-asian');
const qr = benchmarkSet('qr');
const present = asian.present && qr.present;
if (!present) console.warn(`face enrolment tests with photos skipped: ${[asian, qr].filter((s) => !s.present).map((s) => s.path).join(', ')} missing`);

const NOW = Date.UTC(2025, 10, 20, 3, 0);
const TZ = 'Asia/Ho_Chi_Minh';
const photo = (person: string): string => join(asian.path, `images/lfw/${person}/${person}_0001.jpg`);

function delegate(code: string, photoFile = ''): Delegate {
  return { code, fullName: `Đại biểu ${code}`, title: '', delegation: '', seat: `S-${code}`, photo: photoFile, language: 'vi', needs: [] };
}

const consentHeader = 'code,given_at,recorded_by,method';
function consentRow(code: string, method = 'signed-form'): string {
  return `${code},2025-11-18T09:30,staff:Lan,${method}`;
}

let dir = '';
tempDirPerTest('letan-enroll-', (d) => (dir = d));
let store: Store;
let photos = '';

beforeEach(() => {
  store = openStore(join(dir, 'event.sqlite'));
  photos = join(dir, 'photos');
  mkdirSync(photos);
});
afterEach(() => store.close());

function addDelegates(list: Delegate[]): void {
  new DelegateRepository(store.db).replaceAll(list);
}

describe('consent file', () => {
  it('reads given_at in the venue time zone unless it has an offset', () => {
    const file = join(dir, 'consent.csv');
    writeFileSync(file, [consentHeader, 'd-0001,2025-11-18T09:30,staff:Lan,signed-form', 'D-0002,2025-11-18T09:30:15Z,staff:Lan,kiosk', 'D-0003,2025-11-18 09:30+01:00,Ông Nam,verbal-witnessed', 'D-0004,2025-11-18,staff:Lan,registration-form', ''].join('\n'));
    expect(readConsentCsv(file, TZ, NOW).map((c) => [c.code, c.givenAtMs, c.method])).toEqual([
      ['D-0001', Date.UTC(2025, 10, 18, 2, 30), 'signed-form'],
      ['D-0002', Date.UTC(2025, 10, 18, 9, 30, 15), 'kiosk'],
      ['D-0003', Date.UTC(2025, 10, 18, 8, 30), 'verbal-witnessed'],
      ['D-0004', Date.UTC(2025, 10, 17, 17, 0), 'registration-form'],
    ]);
  });

  it('lists every bad row with its line, and names a missing file or column', () => {
    const file = join(dir, 'consent.csv');
    writeFileSync(file, [consentHeader, 'D-0001,18/11/2025,staff:Lan,signed-form', 'D-0002,2025-11-18T09:30,,email', 'D-0001,2025-11-18T09:30,staff:Lan,kiosk', 'D-0003,2026-01-01T00:00,staff:Lan,kiosk', ''].join('\n'));
    const err = inputErrorOf(() => readConsentCsv(file, TZ, NOW));
    expect(err.message).toBe(`${file}: 5 problem(s), nothing enrolled`);
    expect(err.problems).toEqual([
      'line 2: given_at 18/11/2025: expected an ISO date-time such as 2025-11-20T08:30 (venue time) or 2025-11-20T08:30+07:00',
      'line 3: recorded_by: empty (who took the consent?)',
      'line 3: method email: expected one of signed-form, registration-form, kiosk, verbal-witnessed',
      'line 4: code D-0001: also on line 2',
      'line 5: given_at 2026-01-01T00:00: in the future',
    ]);
    expect(inputErrorOf(() => readConsentCsv(join(dir, 'none.csv'), TZ, NOW)).message).toContain('none.csv: consent file not found');
    writeFileSync(file, 'code,given_at,method\nD-0001,2025-11-18,kiosk\n');
    expect(inputErrorOf(() => readConsentCsv(file, TZ, NOW)).message).toBe(`${file}:1: missing column recorded_by (expected code,given_at,recorded_by,method)`);
  });
});

describe('enrolment plan: structural problems stop everything', () => {
  it('lists in one error a bad consent row, a consent for an unknown code, a photo without consent, of an unknown code, and a second photo of one delegate', () => {
    addDelegates([delegate('D-0001'), delegate('D-0002'), delegate('D-0003')]);
    for (const name of ['D-0001.jpg', 'd-0001.PNG', 'D-0002.jpg', 'D-0003.jpg', 'D-0099.jpeg', 'notes.txt']) writeFileSync(join(photos, name), 'x');
    writeFileSync(join(photos, 'consent.csv'), [consentHeader, consentRow('D-0001'), consentRow('D-0077'), consentRow('D-0003', 'email'), ''].join('\n'));
    const err = inputErrorOf(() => planFolder(store.db, photos, { timeZone: TZ, nowMs: NOW }));
    expect(err.message).toBe(`${photos}: 5 problem(s), nothing enrolled`);
    expect(err.problems).toEqual([
      `${join(photos, 'consent.csv')}:4: method email: expected one of signed-form, registration-form, kiosk, verbal-witnessed`,
      `${join(photos, 'consent.csv')}:3: code D-0077: not a delegate of this event`,
      'D-0002.jpg: no consent for D-0002 (add a row to ' + join(photos, 'consent.csv') + ')',
      'D-0099.jpeg: no delegate with code D-0099',
      'd-0001.PNG: a second photo of D-0001 (also D-0001.jpg); keep one',
    ]);
    expect(new FaceGallery(store.db).consents()).toEqual([]);
  });

  it('names a missing folder, an empty one and a missing consent file', () => {
    expect(inputErrorOf(() => planFolder(store.db, join(dir, 'nope'), { timeZone: TZ, nowMs: NOW })).message).toBe(`${join(dir, 'nope')}: folder not found`);
    expect(inputErrorOf(() => planFolder(store.db, photos, { timeZone: TZ, nowMs: NOW })).message).toContain('consent file not found');
    writeFileSync(join(photos, 'consent.csv'), `${consentHeader}\n`);
    expect(inputErrorOf(() => planFolder(store.db, photos, { timeZone: TZ, nowMs: NOW })).message).toContain(`${photos}: no photos`);
  });

  it('uses a consent already on record when the file has no row for that delegate', () => {
    addDelegates([delegate('D-0001')]);
    const id = new FaceGallery(store.db).recordConsent({ code: 'D-0001', givenAtMs: NOW - 1000, recordedBy: 'kiosk-1', method: 'kiosk' });
    writeFileSync(join(photos, 'D-0001.jpg'), 'x');
    writeFileSync(join(photos, 'consent.csv'), `${consentHeader}\n`);
    const plan = planFolder(store.db, photos, { timeZone: TZ, nowMs: NOW });
    expect(plan.photos.map((p) => [p.code, p.consent])).toEqual([['D-0001', { id }]]);
    expect(plan.newConsents.size).toBe(0);
  });
});

describe.skipIf(!present)('enrolling photos (real detector and embedder)', () => {
  const engine = useFaceEngine();
  const deps = (): EnrolDeps => ({ db: store.db, engine: engine(), nowMs: NOW, actor: 'operator:Lan', device: 'test' });

  /** D-0001..3 good photos; D-0004 a text file, D-0005 a truncated JPEG, D-0006 a QR code. */
  function photoFolder(): void {
    addDelegates(['D-0001', 'D-0002', 'D-0003', 'D-0004', 'D-0005', 'D-0006'].map((c) => delegate(c)));
    symlinkSync(photo('Ai_Sugiyama'), join(photos, 'D-0001.jpg'));
    symlinkSync(photo('Kim_Dae-jung'), join(photos, 'D-0002.jpg'));
    symlinkSync(photo('Wen_Jiabao'), join(photos, 'D-0003.JPG'));
    writeFileSync(join(photos, 'D-0004.jpg'), 'this is not a photo\n');
    const jpeg = readFileSync(photo('Gloria_Macapagal_Arroyo'));
    writeFileSync(join(photos, 'D-0005.jpg'), jpeg.subarray(0, jpeg.length / 2));
    symlinkSync(join(qr.path, 'cases/0/input.png'), join(photos, 'D-0006.png'));
    writeFileSync(join(photos, 'consent.csv'), [consentHeader, ...['D-0001', 'D-0002', 'D-0003', 'D-0004', 'D-0005', 'D-0006'].map((c) => consentRow(c)), ''].join('\n'));
  }

  it('enrols the good photos in one go, lists the rejected ones with a reason, and never stores a photo', async () => {
    photoFolder();
    const progress: number[] = [];
    const plan = planFolder(store.db, photos, { timeZone: TZ, nowMs: NOW });
    const result = await enrollPlan(plan, { ...deps(), onProgress: (p) => progress.push(p.done) });
    expect(result.enrolled.map((e) => e.code)).toEqual(['D-0001', 'D-0002', 'D-0003']);
    expect(result.rejected.map((r) => [r.code, r.reason])).toEqual([
      ['D-0004', 'not-an-image'],
      ['D-0005', 'damaged'],
      ['D-0006', 'no-face'],
    ]);
    expect(result.rejected[1]?.detail).toMatch(/^a damaged JPEG file/);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.consentsRecorded).toBe(6);
    const gallery = new FaceGallery(store.db);
    expect(gallery.count()).toBe(3);
    expect(gallery.enrolments()[0]?.quality.eyeDistancePx).toBeGreaterThan(30);

    // The photo bytes are nowhere in the store (file or WAL), and nothing else was written.
    const jpeg = readFileSync(photo('Ai_Sugiyama'));
    const chunk = jpeg.subarray(Math.floor(jpeg.length / 2), Math.floor(jpeg.length / 2) + 64);
    for (const f of ['event.sqlite', 'event.sqlite-wal']) {
      if (existsSync(join(dir, f))) expect(readFileSync(join(dir, f)).includes(chunk), f).toBe(false);
    }
    expect(readdirSync(dir).sort()).toEqual(['event.sqlite', 'event.sqlite-shm', 'event.sqlite-wal', 'photos']);

    // The same folder again: the consents are already on record, the embeddings are replaced.
    const again = await enrollPlan(planFolder(store.db, photos, { timeZone: TZ, nowMs: NOW }), deps());
    expect(again.consentsRecorded).toBe(0);
    expect(gallery.count()).toBe(3);
    expect(gallery.consents()).toHaveLength(6);
  });

  it('enrols from the delegates list only those with a consent; the others’ photos are never opened', async () => {
    addDelegates([delegate('D-0001', 'sugiyama.jpg'), delegate('D-0002', 'not-a-photo.jpg'), delegate('D-0003')]);
    symlinkSync(photo('Ai_Sugiyama'), join(photos, 'sugiyama.jpg'));
    writeFileSync(join(photos, 'not-a-photo.jpg'), 'text');
    writeFileSync(join(photos, 'consent.csv'), [consentHeader, consentRow('D-0001'), consentRow('D-0003'), ''].join('\n'));
    const plan = planFromDelegates(store.db, photos, { timeZone: TZ, nowMs: NOW });
    expect(plan.withoutConsent).toEqual(['D-0002']);
    expect(plan.notes).toEqual(['D-0003: consent on record, no photo in the delegates list']);
    const result = await enrollPlan(plan, deps());
    expect(result.enrolled.map((e) => e.code)).toEqual(['D-0001']);
    expect(result.rejected).toEqual([]);
    expect(result.consentsRecorded).toBe(2);

    new DelegateRepository(store.db).replaceAll([delegate('D-0001', 'gone.jpg'), delegate('D-0002'), delegate('D-0003')]);
    const err = inputErrorOf(() => planFromDelegates(store.db, photos, { timeZone: TZ, nowMs: NOW }));
    expect(err.problems).toEqual([`D-0001: photo gone.jpg: no such file in ${photos}`]);
  });

  describe('letan faces enroll', () => {
    let out: string[] = [];
    beforeEach(() => {
      out = [];
      vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
      vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    });
    afterEach(() => vi.restoreAllMocks());

    function eventFile(extra = ''): string {
      const file = join(dir, 'event.yaml');
      writeFileSync(file, `id: T\nname: { vi: "Đại hội", en: "Congress" }\nvenue: hall\nstore: event.sqlite\nbadge_key: ${'ab'.repeat(16)}\n${extra}`);
      return file;
    }

    it('exits 3 when some photos are rejected, listing each with its reason', async () => {
      photoFolder();
      store.close();
      const code = await main(['faces', 'enroll', photos, '--event', eventFile()]);
      expect(out.join('\n')).toContain('enrolled 3 of 6 photos');
      expect(code).toBe(3);
      expect(out.join('\n')).toMatch(/D-0004\.jpg\s+not-an-image: not an image/);
      expect(out.join('\n')).toMatch(/D-0006\.png\s+no-face: no face found/);
      store = openStore(join(dir, 'event.sqlite'));
      expect(new FaceGallery(store.db).count()).toBe(3);
    });

    it('refuses a photo without consent (exit 2, nothing enrolled), and any enrolment after the retention date', async () => {
      addDelegates([delegate('D-0001')]);
      symlinkSync(photo('Ai_Sugiyama'), join(photos, 'D-0001.jpg'));
      writeFileSync(join(photos, 'consent.csv'), `${consentHeader}\n`);
      store.close();
      expect(await main(['faces', 'enroll', photos, '--event', eventFile()])).toBe(2);
      expect(out.join('\n')).toContain('D-0001.jpg: no consent for D-0001');
      out = [];
      writeFileSync(join(photos, 'consent.csv'), `${consentHeader}\n${consentRow('D-0001')}\n`);
      expect(await main(['faces', 'enroll', photos, '--event', eventFile('biometrics: { retain_until: 2025-01-31 }\n')])).toBe(2);
      expect(out.join('\n')).toContain('until the end of 2025-01-31');
      store = openStore(join(dir, 'event.sqlite'));
      expect(new FaceGallery(store.db).count()).toBe(0);
      expect(new FaceGallery(store.db).consents()).toEqual([]);
    });
  });
});
