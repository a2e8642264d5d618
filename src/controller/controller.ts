/**
 * The controller: the robot statechart running on real ports.
 *
 * It provides the machine's effect actors (reception-effects.ts, speech-lines.ts),
 * feeds it what the camera sees (frame → QR → BADGE_READ; frame → face → FACE_IDENTIFIED,
 * FACE_UNSURE, FACE_ADVICE), answers its badge + face check, and publishes
 * one ControllerView for the kiosk and staff pages. It holds no behaviour of its own:
 * what happens when is the statechart's business.
 */
import { createActor, fromCallback, fromPromise, type Actor, type ActorRefFrom } from 'xstate';
import type { Ledger } from '../attendance/ledger.ts';
import type { Presence } from '../attendance/types.ts';
import type { DelegateRepository } from '../delegates/repository.ts';
import type { EventConfig } from '../event/config.ts';
import type { FaceEngine } from '../faces/face-engine.ts';
import type { FaceMatcher } from '../faces/face-matcher.ts';
import { FaceWatcher, type FaceSighting } from '../faces/face-watcher.ts';
import { BadgeTracker } from '../perception/badge-tracker.ts';
import type { FrameSource } from '../perception/frame.ts';
import type { QrReader } from '../perception/qr-reader.ts';
import type { NavFeedback, NavOutcome, RobotPort } from '../robot/robot-port.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { ProblemList } from '../shared/problems.ts';
import type { Phrases } from '../speech/phrases.ts';
import type { Lang, Speaker } from '../speech/speaker.ts';
import type { Venue } from '../venue/types.ts';
import type { IdentifyInput, IdentifyOutcome, NavigateInput, SpeakInput } from '../../statecharts/reception-types.ts';
import { receptionMachine, type ReceptionContext } from '../../statecharts/reception.ts';
import { robotMachine, type RobotEvent, type RobotMode } from '../../statecharts/robot-modes.ts';
import { identify, navigateTo } from './reception-effects.ts';
import { speechLine } from './speech-lines.ts';
import { kioskScreen, statePath, type ControllerView, type StaffQuestionView } from './view.ts';

const log = logger('controller');

/** How long to wait before reopening a lost camera (real time). */
const CAMERA_RETRY_MS = 2_000;
/**
 * Longest wait, after a badge is read, for the face in view to be read too (one detection and
 * one embedding: ≈ 0.25 s on 2 idle cores, more while speech and QR decoding run), so a badge
 * held by someone else goes to staff instead of a greeting. Within identifyTimeout (3 s).
 */
const FACE_SETTLE_MAX_MS = 1_500;
/** Within this distance of the reception post the robot counts as at its post. */
const AT_POST_M = 0.5;

export interface ControllerDeps {
  readonly config: EventConfig;
  readonly venue: Venue;
  readonly delegates: DelegateRepository;
  readonly ledger: Ledger;
  readonly robot: RobotPort;
  readonly speaker: Speaker;
  readonly phrases: Readonly<Record<Lang, Phrases>>;
  readonly camera: FrameSource;
  readonly qr: QrReader;
  /** Face check-in: the models and the current gallery; absent when it is off (no consent data, retention passed). */
  readonly faces?: { readonly engine: FaceEngine; readonly matcher: () => FaceMatcher | null } | null;
  /** Robot and statechart time (accelerated in simulations). */
  readonly clock: Clock;
  readonly problems: ProblemList;
  readonly newCheckInId: () => string;
  readonly isRevoked: (code: string) => boolean;
  readonly initialMode: RobotMode;
  /** Overrides of the statechart's named delays (ms of clock time). */
  readonly delays?: Partial<Record<'identifyTimeout' | 'helpOfferTimeout' | 'returnRetryDelay' | 'staffConfirmTimeout', number>>;
}

/** Things that happened, for the demo summary, benchmarks and logs. */
export type Activity =
  | { readonly type: 'badge-read'; readonly text: string; readonly seenAtMs: number }
  | { readonly type: 'face-sighting'; readonly sighting: FaceSighting; readonly atMs: number }
  | { readonly type: 'identified'; readonly outcome: IdentifyOutcome }
  | { readonly type: 'speaking'; readonly phrase: SpeakInput['phrase']; readonly text: string; readonly lang: Lang }
  /** First audio of the answer to a badge, at `atMs` (real time); `badgeToAudioMs` from the frame it was read in. */
  | { readonly type: 'answer-audio'; readonly phrase: SpeakInput['phrase']; readonly atMs: number; readonly badgeToAudioMs: number }
  | { readonly type: 'navigation'; readonly target: NavigateInput['target']; readonly outcome: NavOutcome };

type RobotActor = Actor<typeof robotMachine>;

export class Controller {
  private readonly actor: RobotActor;
  private readonly tracker: BadgeTracker;
  private readonly faces: FaceWatcher | null;
  private readonly viewListeners = new Set<(view: ControllerView) => void>();
  private readonly activityListeners = new Set<(activity: Activity) => void>();
  private readonly abort = new AbortController();
  private progress: NavFeedback | null = null;
  private presenceCache: Presence | null = null;
  /** Real time (ms) of the frame that showed the badge being answered. */
  private answeringBadgeSeenAtMs: number | null = null;
  private perceptionDone: Promise<void> = Promise.resolve();
  private lastViewJson = '';
  /** The last badge text sent to the statechart (it may still be held up when the robot is free again). */
  private lastBadgeText: string | null = null;
  /** The reception child seen last, to notice a (re)started reception. */
  private knownReception: ActorRefFrom<typeof receptionMachine> | undefined;
  /** Set while shutting down: the stop latch then stays taken (a stopped robot stays stopped). */
  private shuttingDown = false;

  constructor(private readonly deps: ControllerDeps) {
    this.tracker = new BadgeTracker({ clock: systemClock });
    this.faces = deps.faces
      ? new FaceWatcher({
          engine: deps.faces.engine,
          matcher: deps.faces.matcher,
          clock: systemClock,
          onSighting: (sighting) => this.faceSighted(sighting),
          onEngineProblem: (message) => this.faceEngineProblem(message),
        })
      : null;
    const reception = receptionMachine.provide({
      actors: {
        identify: fromPromise<IdentifyOutcome, IdentifyInput>(({ input }) => this.identify(input)),
        speak: fromPromise<void, SpeakInput>(({ input, signal }) => this.speak(input, signal)),
        navigate: fromPromise<NavOutcome, NavigateInput>(({ input, signal }) => this.navigate(input, signal)),
      },
      ...(deps.delays ? { delays: deps.delays } : {}),
    });
    const machine = robotMachine.provide({
      actors: {
        reception,
        holdStop: fromCallback(() => {
          this.stopRobot();
          return () => {
            if (this.shuttingDown) return;
            this.deps.robot.releaseStop().catch((err: unknown) => log.error({ err: errorText(err) }, 'robot.releaseStop failed'));
          };
        }),
        driveToDock: fromPromise<NavOutcome>(({ signal }) => {
          const dock = this.deps.venue.poi('dock') ?? this.deps.venue.poi('reception-post');
          return dock ? this.deps.robot.navigateTo(dock.pose, { signal }) : Promise.resolve({ status: 'aborted', code: 'unreachable', reason: 'no dock or reception-post POI' } as const);
        }),
      },
    });
    this.actor = createActor(machine, { input: { initialMode: deps.initialMode }, clock: deps.clock });
  }

  /** Starts the statechart and the camera loop. */
  start(): void {
    this.actor.subscribe({
      next: () => this.publish(),
      error: (err: unknown) => log.error({ err: errorText(err) }, 'robot statechart failed'),
    });
    this.actor.start();
    this.deps.robot.onPose(() => this.publish());
    this.deps.problems.onChange(() => this.publish());
    this.perceptionDone = this.perceive(this.abort.signal).catch((err: unknown) => log.error({ err: errorText(err) }, 'perception loop ended'));
    this.publish();
  }

  /** Stops the statechart and the camera loop. A latched e-stop is not released. */
  async stop(): Promise<void> {
    this.shuttingDown = true;
    this.abort.abort();
    this.actor.stop();
    await this.perceptionDone;
    await this.faces?.whenIdle();
  }

  send(event: RobotEvent): void {
    // The base stops first, before the statechart even looks at the event.
    if (event.type === 'ESTOP') this.stopRobot();
    this.actor.send(event);
  }

  /** robot.stop(), and a critical problem when it fails: staff must not trust a stop that did not happen. */
  private stopRobot(): void {
    this.deps.robot.stop().then(
      () => this.deps.problems.clear('estop:failed'),
      (err: unknown) => {
        log.error({ err: errorText(err) }, 'robot.stop failed');
        this.deps.problems.raise('estop:failed', 'critical', `The robot did not confirm the stop: ${errorText(err)}`, 'Use the robot\'s physical emergency stop button now.');
      },
    );
  }

  /** Whether the statechart would act on this event now (reception events: whether the reception would). */
  can(event: RobotEvent): boolean {
    switch (event.type) {
      case 'BADGE_READ':
      case 'FACE_IDENTIFIED':
      case 'FACE_UNSURE':
      case 'FACE_ADVICE':
      case 'STAFF_CONFIRMED':
      case 'STAFF_REJECTED':
      case 'ESCORT_REQUESTED':
      case 'HELP_DECLINED':
      case 'RETURNED_BY_STAFF':
        return this.reception()?.getSnapshot().can(event) ?? false;
      default:
        return this.actor.getSnapshot().can(event);
    }
  }

  view(): ControllerView {
    const snapshot = this.actor.getSnapshot();
    const reception = this.reception();
    const path = statePath(snapshot.value);
    const receptionPath = reception ? statePath(reception.getSnapshot().value) : [];
    const receptionContext: ReceptionContext | null = reception ? reception.getSnapshot().context : null;
    const robot = this.deps.robot;
    return {
      event: { id: this.deps.config.id, name: this.deps.config.name },
      mode: snapshot.context.mode,
      statePath: [...path, ...receptionPath],
      stoppedBy: snapshot.context.stoppedBy,
      screen: kioskScreen([...path, ...receptionPath], snapshot.context.mode, receptionContext, this.progress),
      presence: (this.presenceCache ??= this.deps.ledger.presence()),
      robot: { pose: robot.pose(), speedMps: robot.speedMps(), stopped: robot.stopped, battery: robot.battery().level },
      problems: this.deps.problems.list(),
      staffQuestion: receptionPath[0] === 'askingStaff' ? this.staffQuestionView(receptionContext) : null,
    };
  }

  private staffQuestionView(context: ReceptionContext | null): StaffQuestionView | null {
    const question = context?.staffQuestion;
    if (!question) return null;
    const delegate = question.candidate === null ? undefined : this.deps.delegates.byCode(question.candidate);
    return {
      reason: question.reason,
      candidate: delegate ? { code: delegate.code, fullName: delegate.fullName, delegation: delegate.delegation, seat: delegate.seat } : null,
    };
  }

  onView(listener: (view: ControllerView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  onActivity(listener: (activity: Activity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** The reception child actor, while reception or guide mode runs. */
  private reception(): ActorRefFrom<typeof receptionMachine> | undefined {
    return this.actor.getSnapshot().children.reception as ActorRefFrom<typeof receptionMachine> | undefined;
  }

  private acceptsBadge(): boolean {
    return this.can({ type: 'BADGE_READ', text: '', seenAtMs: 0 });
  }

  /**
   * A reception that starts (mode switch, e-stop reset) with the robot away from its post
   * is told so, and goes back before it takes badges.
   */
  private noticeReceptionStart(): void {
    const reception = this.reception();
    if (reception === this.knownReception) return;
    this.knownReception = reception;
    const post = this.deps.venue.poi('reception-post')?.pose;
    const here = this.deps.robot.pose();
    if (reception && post && Math.hypot(here.x - post.x, here.y - post.y) > AT_POST_M) reception.send({ type: 'AWAY_FROM_POST' });
  }

  /**
   * Resolves when the reception can take a badge again (or on abort); checks every 10 ms.
   * The badge just answered may still be held up: it stays the same showing, not a new one.
   */
  private async untilAcceptingBadges(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !this.acceptsBadge()) await systemClock.sleep(10, signal).catch(() => undefined);
    if (this.lastBadgeText !== null) this.tracker.touch(this.lastBadgeText, systemClock.now());
  }

  private emit(activity: Activity): void {
    for (const l of this.activityListeners) l(activity);
  }

  private publish(): void {
    this.noticeReceptionStart();
    if (this.viewListeners.size === 0) return;
    const view = this.view();
    const json = JSON.stringify(view);
    if (json === this.lastViewJson) return;
    this.lastViewJson = json;
    for (const l of this.viewListeners) l(view);
  }

  /** Camera → QR → BADGE_READ, only while the reception can take a badge. Survives camera loss. */
  private async perceive(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const frame of this.deps.camera.frames(signal)) {
          this.deps.problems.clear('camera:lost');
          if (!this.acceptsBadge()) {
            // Busy with a delegate: pull no frames (a synthetic camera renders each one) until free.
            await this.untilAcceptingBadges(signal);
            continue;
          }
          // The face watcher works on its own (worker threads); it skips frames while busy.
          this.faces?.offer(frame);
          const read = await this.deps.qr.read(frame);
          if (!read || !this.acceptsBadge()) continue;
          if (!this.tracker.see(read.text, frame.capturedAtMs)) continue;
          this.answeringBadgeSeenAtMs = frame.capturedAtMs;
          this.lastBadgeText = read.text;
          this.emit({ type: 'badge-read', text: read.text, seenAtMs: frame.capturedAtMs });
          this.actor.send({ type: 'BADGE_READ', text: read.text, seenAtMs: frame.capturedAtMs });
        }
        if (signal.aborted) return;
        // A live camera does not end: treat the end of the stream like its loss, and reopen it.
        this.cameraLost('the stream ended');
      } catch (err: unknown) {
        if (signal.aborted) return;
        this.cameraLost(errorText(err));
      }
      await systemClock.sleep(CAMERA_RETRY_MS, signal).catch(() => undefined);
    }
  }

  /** A face decision from the watcher, sent only if the reception can take it now. */
  private faceSighted(sighting: FaceSighting): void {
    this.emit({ type: 'face-sighting', sighting, atMs: systemClock.now() });
    const event: RobotEvent =
      sighting.kind === 'identified'
        ? { type: 'FACE_IDENTIFIED', code: sighting.code, score: sighting.score, seenAtMs: sighting.seenAtMs }
        : sighting.kind === 'unsure'
          ? { type: 'FACE_UNSURE', candidate: sighting.candidate, score: sighting.score, seenAtMs: sighting.seenAtMs }
          : { type: 'FACE_ADVICE', advice: sighting.advice };
    if (!this.can(event)) return;
    if (sighting.kind === 'identified') this.answeringBadgeSeenAtMs = sighting.seenAtMs;
    this.actor.send(event);
  }

  private faceEngineProblem(message: string | null): void {
    if (message === null) this.deps.problems.clear('faces:engine');
    else this.deps.problems.raise('faces:engine', 'warning', `Face check-in failed: ${message}`, 'Badge check-in still works. Restart letan if this persists.');
  }

  private cameraLost(why: string): void {
    log.warn({ camera: this.deps.camera.description, why }, 'camera lost');
    this.deps.problems.raise(
      'camera:lost',
      'critical',
      `Camera ${this.deps.camera.description}: ${why}`,
      'Check the camera cable or stream; badge check-in resumes by itself when frames come back. Check delegates in by hand meanwhile.',
    );
  }

  private async identify(input: IdentifyInput): Promise<IdentifyOutcome> {
    const { config, delegates, ledger, venue, newCheckInId, isRevoked } = this.deps;
    // A badge shown by someone whose face is still being read: wait for the face (badge sharing check).
    if (input.by === 'badge' && this.faces) await this.faces.settled(input.seenAtMs, FACE_SETTLE_MAX_MS);
    const outcome = identify(
      {
        eventId: config.id,
        badgeKey: config.badgeKey,
        device: config.device,
        gate: config.gate,
        delegates,
        ledger,
        venue,
        newCheckInId,
        isRevoked,
        ...(this.faces ? { faceVerdictFor: (code: string) => this.faces!.verdictFor(code) } : {}),
      },
      input,
    );
    this.presenceCache = null;
    this.emit({ type: 'identified', outcome });
    return outcome;
  }

  private async speak(input: SpeakInput, signal: AbortSignal): Promise<void> {
    const line = speechLine(input, this.deps.phrases, this.deps.config.language, this.deps.venue, this.deps.config.timeZone);
    this.emit({ type: 'speaking', phrase: input.phrase, text: line.text, lang: line.lang });
    const answersBadge = input.phrase === 'greeting' || input.phrase === 'already_checked_in' || input.phrase === 'refusal';
    const seenAtMs = answersBadge ? this.answeringBadgeSeenAtMs : null;
    if (answersBadge) this.answeringBadgeSeenAtMs = null;
    const voice = line.lang === 'vi' ? this.deps.config.voice.vi : this.deps.config.voice.en;
    try {
      await this.deps.speaker.say(
        line.text,
        {
          lang: line.lang,
          voice,
          rateWpm: this.deps.config.voice.rateWpm,
          onAudioStart: () => {
            const atMs = systemClock.now();
            if (seenAtMs !== null) this.emit({ type: 'answer-audio', phrase: input.phrase, atMs, badgeToAudioMs: atMs - seenAtMs });
          },
        },
        signal,
      );
      this.deps.problems.clear('speech:failed');
    } catch (err: unknown) {
      if (signal.aborted) throw err;
      this.deps.problems.raise('speech:failed', 'warning', `Speech failed: ${errorText(err)}`, 'The screen still shows every message. Check the speaker and the espeak-ng package.');
      throw err;
    }
  }

  private async navigate(input: NavigateInput, signal: AbortSignal): Promise<NavOutcome> {
    const escorting = input.target.kind !== 'post';
    const outcome = await navigateTo(this.deps.robot, this.deps.venue, input, {
      signal,
      ...(escorting ? { maxSpeedMps: this.deps.config.robot.escortSpeedMps } : {}),
      onFeedback: (feedback) => {
        this.progress = feedback;
        this.publish();
      },
    });
    this.progress = null;
    if (outcome.status === 'aborted' && outcome.code !== 'preempted' && outcome.code !== 'stopped') {
      this.deps.problems.raise('nav:blocked', 'warning', `Navigation aborted: ${outcome.reason}`, 'Clear the aisle or bring the robot back to its post by hand.');
    } else if (outcome.status === 'succeeded' && escorting) {
      // Getting home says nothing about the aisle that was blocked; a completed escort does.
      this.deps.problems.clear('nav:blocked');
    }
    this.emit({ type: 'navigation', target: input.target, outcome });
    return outcome;
  }
}
