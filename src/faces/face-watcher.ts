import type { Frame } from '../perception/frame.ts';
import type { Clock } from '../shared/clock.ts';
import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { FaceEngine } from './face-engine.ts';
import { cropsForFrame, FaceEvidence, makeCrops } from './face-evidence.ts';
import type { FaceMatcher } from './face-matcher.ts';
import { assessFace, type QualityAdvice } from './face-quality.ts';
import { VERIFY_MATCH, VERIFY_MISMATCH } from './identity-policy.ts';

const log = logger('faces/watcher');

/** What the watcher tells the reception about the person in front of the camera. */
export type FaceSighting =
  | { readonly kind: 'identified'; readonly code: string; readonly score: number; readonly seenAtMs: number }
  /** Not sure enough to say a name: `candidate` for a staff one-tap confirm, null to ask for the badge. */
  | { readonly kind: 'unsure'; readonly candidate: string | null; readonly score: number; readonly seenAtMs: number }
  | { readonly kind: 'advice'; readonly advice: QualityAdvice };

/**
 * What the face in view says about a badge's delegate: `match` it is them, `mismatch` it is
 * clearly someone else, `unknown` no usable face in view, the delegate not enrolled, or the
 * grey zone in between.
 */
export type FaceVerdict = 'match' | 'mismatch' | 'unknown';

/** Frames the decision looks at (the newest): two full crop sets (see cropsForFrame). */
const WINDOW_FRAMES = 4;
/** Without a name after this many usable frames, the person is "unsure" (staff or badge). */
const UNSURE_AFTER_FRAMES = 4;
/** A face missing this long, or jumping this far (× face width), starts a new person. */
const TRACK_GAP_MS = 1_500;
const TRACK_JUMP_FACE_WIDTHS = 0.6;
/** Consecutive unusable frames before advice is given, and the least time between two pieces of advice. */
const ADVICE_AFTER_FRAMES = 3;
const ADVICE_EVERY_MS = 8_000;
/** Evidence older than this says nothing about who is at the camera now. */
const VERDICT_FRESH_MS = 2_000;

interface Track {
  readonly firstSeenAtMs: number;
  lastSeenAtMs: number;
  centreX: number;
  centreY: number;
  readonly evidence: FaceEvidence;
  /** Frames embedded so far (also picks the next frame's crops). */
  embedded: number;
  /** Set once the reception has been told (identified or unsure): the person is not announced twice. */
  told: boolean;
}

export interface FaceWatcherDeps {
  readonly engine: FaceEngine;
  /** The current gallery (null: nobody enrolled or face check-in is off). */
  readonly matcher: () => FaceMatcher | null;
  /** Real time: frames carry capture times of this clock. */
  readonly clock: Clock;
  readonly onSighting: (sighting: FaceSighting) => void;
  /** Called when the engine fails (problem `faces:engine`); and with null when it works again. */
  readonly onEngineProblem?: (message: string | null) => void;
}

/**
 * Camera frames → one person's identity, off the frame loop: `offer` takes a frame only when
 * the previous one is done (newest frame wins), detection and embedding run in the engine's
 * worker threads. One person at a time: a second face, a face too small, too close, turned or
 * blurred gives advice instead of a name. A name needs the open-set decision over several
 * frames (identity-decision.ts); the watcher never guesses.
 */
export class FaceWatcher {
  private busy = false;
  private track: Track | null = null;
  private badFrames = 0;
  private lastAdviceAtMs = Number.NEGATIVE_INFINITY;
  private idle: Promise<void> = Promise.resolve();
  /** Capture time of the newest frame whose faces have been assessed. */
  private lastLookedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: FaceWatcherDeps) {}

  /** Starts work on `frame` unless a frame is in progress; returns whether it was taken. */
  offer(frame: Frame): boolean {
    if (this.busy) return false;
    this.busy = true;
    this.idle = this.process(frame)
      .then(() => this.deps.onEngineProblem?.(null))
      .catch((err: unknown) => {
        log.warn({ err: errorText(err) }, 'face frame failed');
        this.deps.onEngineProblem?.(errorText(err));
      })
      .finally(() => {
        this.busy = false;
      });
    return true;
  }

  /** Resolves when the frame in progress (if any) is done. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /** Forget the person in view (after they were served, or the robot left its post). */
  reset(): void {
    this.track = null;
    this.badFrames = 0;
  }

  /**
   * Whether the face in view now is `code`'s: 'match' (score ≥ VERIFY_MATCH), 'mismatch' (below
   * VERIFY_MISMATCH), else 'unknown' (no fresh face, not enrolled, in between). One frame is
   * enough: a false mismatch only costs a staff check, a missed one lets a lent badge through.
   */
  verdictFor(code: string): FaceVerdict {
    const track = this.track;
    const matcher = this.deps.matcher();
    if (!track || !matcher || track.evidence.frames === 0) return 'unknown';
    if (this.deps.clock.now() - track.lastSeenAtMs > VERDICT_FRESH_MS) return 'unknown';
    const score = matcher.verify(track.evidence.fused(), code);
    if (score === undefined) return 'unknown';
    if (score >= VERIFY_MATCH) return 'match';
    if (score < VERIFY_MISMATCH) return 'mismatch';
    return 'unknown';
  }

  /**
   * Resolves once a frame captured at or after `sinceMs` has been looked at and the face in it
   * (if any) has been embedded once (enough for verdictFor), or after `maxWaitMs`.
   * A badge read the moment a person arrives waits here, so badge sharing is caught before a
   * name is said; with nobody in view it costs one detection.
   */
  async settled(sinceMs: number, maxWaitMs: number): Promise<void> {
    const deadline = this.deps.clock.now() + maxWaitMs;
    while (this.deps.clock.now() < deadline) {
      if (this.deps.matcher() === null) return;
      if (this.lastLookedAtMs >= sinceMs) {
        const track = this.track;
        const inView = track !== null && this.deps.clock.now() - track.lastSeenAtMs <= VERDICT_FRESH_MS;
        if (!inView || track.evidence.frames >= 1) return;
      }
      await this.deps.clock.sleep(20);
    }
  }

  private async process(frame: Frame): Promise<void> {
    const faces = await this.deps.engine.detect(frame);
    const quality = assessFace(frame, faces, 'live');
    if (!quality.ok || this.track === null) this.lastLookedAtMs = Math.max(this.lastLookedAtMs, frame.capturedAtMs);
    if (!quality.ok) {
      if (quality.reason === 'no-face') {
        if (this.track && frame.capturedAtMs - this.track.lastSeenAtMs > TRACK_GAP_MS) this.reset();
        this.badFrames = 0;
        return;
      }
      this.badFrames += 1;
      if (quality.advice && this.badFrames >= ADVICE_AFTER_FRAMES && frame.capturedAtMs - this.lastAdviceAtMs >= ADVICE_EVERY_MS) {
        this.lastAdviceAtMs = frame.capturedAtMs;
        this.deps.onSighting({ kind: 'advice', advice: quality.advice });
      }
      return;
    }
    this.badFrames = 0;
    const { face } = quality;
    const centreX = (face.box.x0 + face.box.x1) / 2;
    const centreY = (face.box.y0 + face.box.y1) / 2;
    const width = face.box.x1 - face.box.x0;
    const t = this.track;
    const samePerson = t !== null && frame.capturedAtMs - t.lastSeenAtMs <= TRACK_GAP_MS && Math.hypot(centreX - t.centreX, centreY - t.centreY) <= TRACK_JUMP_FACE_WIDTHS * width;
    const track: Track = samePerson
      ? t
      : { firstSeenAtMs: frame.capturedAtMs, lastSeenAtMs: frame.capturedAtMs, centreX, centreY, evidence: new FaceEvidence(WINDOW_FRAMES), embedded: 0, told: false };
    this.track = track;
    track.lastSeenAtMs = frame.capturedAtMs;
    track.centreX = centreX;
    track.centreY = centreY;

    const slots = cropsForFrame(track.embedded);
    const embeddings = await this.deps.engine.embed(makeCrops(frame, face, slots));
    if (this.track !== track) return; // reset while embedding
    track.evidence.addFrame(slots, embeddings);
    track.embedded += 1;
    this.lastLookedAtMs = Math.max(this.lastLookedAtMs, frame.capturedAtMs);
    const matcher = this.deps.matcher();
    if (track.told || !matcher || matcher.size === 0) return;
    const decision = track.evidence.decide(matcher);
    if (decision.kind === 'identified') {
      track.told = true;
      this.deps.onSighting({ kind: 'identified', code: decision.code, score: decision.score, seenAtMs: track.firstSeenAtMs });
    } else if (track.embedded >= UNSURE_AFTER_FRAMES) {
      track.told = true;
      this.deps.onSighting({ kind: 'unsure', candidate: decision.kind === 'unsure' ? decision.candidate : null, score: decision.score, seenAtMs: track.firstSeenAtMs });
    }
  }
}
