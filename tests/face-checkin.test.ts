/**
 * Face check-in through the whole controller, with REAL inference (MediaPipe detector and the
 * faceres identity model in worker threads) on REAL photos from ../shared/benchmarks/faces,
 * seen through a FAKE camera (StillCamera: no physical camera here) that repeats one composed
 * frame. Twenty demo delegates (the least face check-in runs with) are enrolled, with consent,
 * from the set's twenty enrolment photos; the frames show other photos of the same people.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBadge } from '../src/badges/token.ts';
import type { Activity } from '../src/controller/controller.ts';
import { createRuntime, type Runtime } from '../src/controller/runtime.ts';
import { loadEventConfig, type EventConfig } from '../src/event/config.ts';
import { loadFaceManifest } from '../src/faces/face-manifest.ts';
import { enrolmentFeature } from '../src/faces/face-test-support.ts';
import { FaceGallery } from '../src/faces/gallery.ts';
import { WorkerFaceEngine } from '../src/faces/worker-face-engine.ts';
import { readImageFile } from '../src/perception/image-file.ts';
import type { RgbaImage } from '../src/perception/qr-image.ts';
import { systemClock } from '../src/shared/clock.ts';
import { benchmarkSet } from '../src/shared/paths.ts';
import { openStore } from '../src/store/sqlite-store.ts';
import { ensureDelegates } from '../src/controller/runtime.ts';
import { loadVenue } from '../src/venue/load-venue.ts';
import { StillCamera } from './support/still-camera.ts';

const faces = benchmarkSet('faces');
if (!faces.present) console.warn(`face check-in tests skipped: no benchmark set at ${faces.path} (set LETAN_SHARED)`);

/** Photos (not the enrolment ones) of enrolled identities of the set (deepface test images, public figures). */
const seen = {
  p09: { identity: 'deepface_p09', photo: 'images/deepface/deepface_p09/img25.jpg' },
  p05: { identity: 'deepface_p05', photo: 'images/deepface/deepface_p05/img62.jpg' },
  p07: { identity: 'deepface_p07', photo: 'images/deepface/deepface_p07/img21.jpg' },
} as const;
/** An impostor identity of the set: never enrolled. */
const stranger = 'images/deepface/deepface_p13/img39.jpg';

describe.skipIf(!faces.present)('face check-in through the controller (real models, real photos, fake camera)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'letan-faces-'));
  let engine: WorkerFaceEngine;
  let config: EventConfig;
  /** Delegate code of each enrolled identity. */
  const codeOf = new Map<string, string>();
  const code = (identity: string): string => codeOf.get(identity) ?? '';
  const runtimes: Runtime[] = [];

  beforeAll(async () => {
    engine = await WorkerFaceEngine.start(2);
    config = { ...loadEventConfig(), storePath: join(dir, 'letan.sqlite'), delegatesCsv: join(dir, 'delegates.csv') };
    const store = openStore(config.storePath);
    ensureDelegates(config, await loadVenue(config.venueDir), store);
    const gallery = new FaceGallery(store.db);
    const enrolPhotos = loadFaceManifest(faces.path).filter((i) => i.role === 'enroll');
    const codes = store.db.prepare<[number], { code: string }>('SELECT code FROM delegates ORDER BY code LIMIT ?').all(enrolPhotos.length).map((r) => r.code);
    for (const [i, p] of enrolPhotos.entries()) {
      const delegate = codes[i]!;
      codeOf.set(p.identity, delegate);
      const { feature, quality } = await enrolmentFeature(engine, p.file);
      const consentId = gallery.recordConsent({ code: delegate, givenAtMs: Date.now(), recordedBy: 'staff:test', method: 'signed-form' });
      gallery.enroll({ code: delegate, feature, quality, consentId, atMs: Date.now(), actor: 'test', device: 'test' });
    }
    store.close();
  }, 120_000);

  afterAll(async () => {
    for (const r of runtimes) await r.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<{ runtime: Runtime; camera: StillCamera; activities: Activity[] }> {
    const camera = new StillCamera(8);
    const runtime = await createRuntime(config, { camera, faceEngine: engine, audioSink: { kind: 'wav-dir', dir: join(dir, 'audio') } });
    runtimes.push(runtime);
    const activities: Activity[] = [];
    runtime.controller.onActivity((a) => activities.push(a));
    runtime.controller.start();
    return { runtime, camera, activities };
  }

  async function until(runtime: Runtime, what: string, test: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; state ${runtime.controller.view().statePath.join('.')}`);
      await systemClock.sleep(25);
    }
  }

  const photo = (file: string): Promise<RgbaImage> => readImageFile(join(faces.path, file));
  const path = (r: Runtime): string => r.controller.view().statePath.join('.');

  it('the delegate\'s face alone checks them in by name (source face)', async () => {
    const { runtime, camera, activities } = await start();
    camera.show(await photo(seen.p09.photo));
    await until(runtime, 'the face greeting', () => runtime.ledger.isPresent(code(seen.p09.identity)));
    expect(runtime.ledger.activeCheckIn(code(seen.p09.identity))).toMatchObject({ source: 'face' });
    const identified = activities.filter((a) => a.type === 'identified');
    expect(identified).toHaveLength(1);
    expect(identified[0]).toMatchObject({ outcome: { kind: 'checked-in', source: 'face', delegate: { code: code(seen.p09.identity) } } });
    // Nobody else was checked in on the way.
    expect(runtime.ledger.presence().present).toBe(1);
  }, 60_000);

  it('badge and matching face check in as "both"; a badge held by someone else goes to staff, not to a greeting', async () => {
    const { runtime, camera, activities } = await start();
    const badge = (code: string): string => signBadge({ eventId: config.id, code, key: config.badgeKey });

    // A delegate with their own badge.
    const own = code(seen.p05.identity);
    camera.show(await photo(seen.p05.photo), badge(own));
    await until(runtime, 'the check-in', () => runtime.ledger.isPresent(own));
    expect(runtime.ledger.activeCheckIn(own), activities.map((a) => JSON.stringify(a).slice(0, 160)).join('\n')).toMatchObject({ source: 'both' });
    runtime.controller.send({ type: 'HELP_DECLINED' });
    camera.show(null);
    await systemClock.sleep(2_000); // the person leaves: the watcher forgets them

    // Another delegate holding the badge of a third (not yet checked in): possible badge sharing.
    const holder = code(seen.p07.identity);
    const lent = code('deepface_p02');
    camera.show(await photo(seen.p07.photo), badge(lent));
    await until(runtime, 'the staff question', () => runtime.controller.view().staffQuestion !== null).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${activities.map((a) => JSON.stringify(a).slice(0, 160)).join('\n')}`);
    });
    const view = runtime.controller.view();
    expect(view.staffQuestion).toMatchObject({ reason: 'badge-face-mismatch', candidate: { code: lent } });
    expect(view.screen).toEqual({ screen: 'staff-called' });
    expect(runtime.ledger.isPresent(lent)).toBe(false);
    expect(runtime.ledger.isPresent(holder)).toBe(false);

    // Staff check ID and confirm with one tap: a manual check-in by that operator.
    runtime.controller.send({ type: 'STAFF_CONFIRMED', code: lent, operator: 'staff:Lan' });
    await until(runtime, 'the manual check-in', () => runtime.ledger.isPresent(lent));
    expect(runtime.ledger.activeCheckIn(lent)).toMatchObject({ source: 'manual', operator: 'staff:Lan' });
  }, 90_000);

  it('a stranger is never greeted by a delegate\'s name: asked for the badge instead', async () => {
    const { runtime, camera, activities } = await start();
    const presentBefore = runtime.ledger.presence().present;
    camera.show(await photo(stranger));
    await until(runtime, 'a face decision', () => activities.some((a) => a.type === 'face-sighting'));
    await until(runtime, 'the robot back to waiting', () => path(runtime) === 'reception.waiting', 30_000);
    const sightings = activities.flatMap((a) => (a.type === 'face-sighting' ? [a.sighting] : []));
    expect(sightings.some((s) => s.kind === 'identified')).toBe(false);
    expect(activities.some((a) => a.type === 'speaking' && a.phrase === 'ask_badge') || activities.some((a) => a.type === 'speaking' && a.phrase === 'staff_called')).toBe(true);
    expect(runtime.ledger.presence().present).toBe(presentBefore);
  }, 60_000);
});
