/**
 * Assembles a running controller from an event's configuration: the embedded
 * default adapters (SimRobot, generated/ffmpeg/folder camera, espeak-ng, SQLite)
 * unless the caller passes its own. `letan start` and `letan demo` both use it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ledger } from '../attendance/ledger.ts';
import { revocationCheck } from '../badges/revocations.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import { demoDelegates, seatsFrontToBack, writeDelegatesCsv } from '../delegates/demo-data.ts';
import { importDelegates } from '../delegates/import.ts';
import type { EventConfig } from '../event/config.ts';
import type { FaceEngine } from '../faces/face-engine.ts';
import { startFaceCheckIn } from '../faces/face-checkin.ts';
import { createFrameSource } from '../perception/create-frame-source.ts';
import type { FrameSource } from '../perception/frame.ts';
import { QrReader } from '../perception/qr-reader.ts';
import { SimRobot } from '../robot/sim-robot.ts';
import type { RobotPort } from '../robot/robot-port.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { ProblemList } from '../shared/problems.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { createSpeaker } from '../speech/create-speaker.ts';
import { loadPhrases } from '../speech/phrases.ts';
import { hasSoundOutput } from '../speech/sound-output.ts';
import type { AudioSink, Speaker } from '../speech/speaker.ts';
import { loadVenue } from '../venue/load-venue.ts';
import type { Venue } from '../venue/types.ts';
import type { RobotMode } from '../../statecharts/robot-modes.ts';
import { Controller, type ControllerDeps } from './controller.ts';

const log = logger('controller/runtime');

export interface RuntimeOptions {
  /** Robot and statechart time; the system clock unless simulating. */
  readonly clock?: Clock;
  /** The robot base; the SimRobot on the venue's map at the reception post when absent. */
  readonly robot?: RobotPort;
  readonly camera?: FrameSource;
  readonly speaker?: Speaker;
  readonly audioSink?: AudioSink;
  readonly initialMode?: RobotMode;
  readonly newCheckInId?: () => string;
  readonly delays?: ControllerDeps['delays'];
  readonly qrWorkers?: number;
  /**
   * Face models to use (tests); default: worker threads, started only when someone is enrolled.
   * null turns face check-in off.
   */
  readonly faceEngine?: FaceEngine | null;
}

export interface Runtime {
  readonly config: EventConfig;
  readonly venue: Venue;
  readonly store: Store;
  readonly ledger: Ledger;
  readonly delegates: DelegateRepository;
  readonly robot: RobotPort;
  readonly camera: FrameSource;
  readonly speaker: Speaker;
  readonly controller: Controller;
  /** Notes for the operator (fallbacks taken, data generated). */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

/**
 * Makes sure the store holds the event's delegates: imports the configured CSV when
 * the store is empty; for the demo event, generates that CSV first when missing.
 */
export function ensureDelegates(config: EventConfig, venue: Venue, store: Store): string | null {
  const repo = new DelegateRepository(store.db);
  if (repo.count() > 0) return null;
  if (!config.delegatesCsv) throw new InputError(`${config.file ?? 'event'}: the store ${config.storePath} has no delegates and the event names no delegates CSV: run 'letan import FILE.csv'`);
  let generated = false;
  if (!existsSync(config.delegatesCsv)) {
    if (config.file !== null) throw new InputError(`${config.file}: delegates: file not found: ${config.delegatesCsv}`);
    writeDelegatesCsv(config.delegatesCsv, demoDelegates(seatsFrontToBack(venue)));
    generated = true;
  }
  const { imported } = importDelegates(config.delegatesCsv, { venue, store });
  return `${generated ? 'generated and ' : ''}imported ${imported} delegates from ${config.delegatesCsv}`;
}

export async function createRuntime(config: EventConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const notes: string[] = [];
  const venue = await loadVenue(config.venueDir);
  // A store this call creates is removed again if start-up fails (e.g. a bad delegates CSV).
  const storeIsNew = !existsSync(resolve(config.storePath));
  const store = openStore(config.storePath);
  const closers: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    const imported = ensureDelegates(config, venue, store);
    if (imported) notes.push(imported);
    const delegates = new DelegateRepository(store.db);
    const ledger = new Ledger(store.db, clock);
    const post = venue.poi('reception-post');
    if (!post) throw new InputError(`${venue.dir}/venue.json: pois: expected a POI of kind reception-post (the robot's post)`);
    const robot = options.robot ?? new SimRobot({ venue, clock, start: post.pose, speedMps: config.robot.speedMps, radiusM: config.robot.radiusM });
    closers.push(() => robot.close());
    const camera = options.camera ?? createFrameSource(config.camera, systemClock);
    closers.push(() => camera.close());
    let speaker = options.speaker;
    if (!speaker) {
      const wavDir: AudioSink = { kind: 'wav-dir', dir: `${config.storePath}.audio` };
      let sink: AudioSink = options.audioSink ?? (config.voice.output === 'wav' ? wavDir : { kind: 'device' });
      if (sink.kind === 'device' && !hasSoundOutput()) {
        sink = wavDir;
        notes.push(`no sound card found: speech is written to WAV files in ${wavDir.dir}`);
      }
      const chosen = await createSpeaker({ sink });
      speaker = chosen.speaker;
      if (chosen.note) notes.push(chosen.note);
    }
    const qr = new QrReader({ workers: options.qrWorkers ?? 1 });
    closers.push(() => qr.close());
    const problems = new ProblemList(() => clock.now());
    const isRevoked = revocationCheck(store.db);
    const faces =
      options.faceEngine === null
        ? ({ on: false, note: 'face check-in off' } as const)
        : await startFaceCheckIn({ config, db: store.db, clock: systemClock, problems, ...(options.faceEngine ? { engine: options.faceEngine } : {}) });
    notes.push(faces.note);
    if (faces.on && !options.faceEngine) closers.push(() => faces.engine.close());
    const controller = new Controller({
      config,
      venue,
      delegates,
      ledger,
      robot,
      speaker,
      phrases: { vi: loadPhrases('vi'), en: loadPhrases('en') },
      camera,
      qr,
      faces: faces.on ? { engine: faces.engine, matcher: faces.matcher } : null,
      clock,
      problems,
      newCheckInId: options.newCheckInId ?? (() => `${config.device}:${randomUUID()}`),
      isRevoked,
      initialMode: options.initialMode ?? 'reception',
      ...(options.delays ? { delays: options.delays } : {}),
    });
    closers.unshift(() => controller.stop());
    await warmUp(speaker, config);
    await qr.whenReady();
    return {
      config,
      venue,
      store,
      ledger,
      delegates,
      robot,
      camera,
      speaker,
      controller,
      notes,
      close: async () => {
        for (const close of closers) {
          try {
            await close();
          } catch (err: unknown) {
            log.warn({ err: err instanceof Error ? err.message : String(err) }, 'closing failed');
          }
        }
      },
    };
  } catch (err: unknown) {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    if (storeIsNew) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(store.path + suffix, { force: true });
    }
    throw err;
  }
}

/**
 * Speaks one line into a throwaway file per language, so the first delegate does not
 * wait for the engine's cold start (voice data loading, first process spawn).
 */
async function warmUp(speaker: Speaker, config: EventConfig): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'letan-warmup-'));
  try {
    for (const lang of ['vi', 'en'] as const) {
      const line = loadPhrases(lang).render('idle');
      await speaker.synthesize(line, { lang, voice: config.voice[lang], rateWpm: config.voice.rateWpm }, join(dir, `${lang}.wav`));
    }
  } catch (err: unknown) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'speech warm-up failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
