/**
 * Simulated arrivals at the robot: delegates hold up their badges in front of the
 * generated camera, listen to the greeting, sometimes ask to be taken to their seat
 * or the lift. Drives a real controller (real QR reading, ledger, speech, SimRobot)
 * and reports what happened. Used by `letan demo` and `letan bench checkin`.
 */
import type { Controller, Activity } from '../controller/controller.ts';
import type { KioskScreen } from '../controller/view.ts';
import type { Delegate } from '../delegates/types.ts';
import { signBadge } from '../badges/token.ts';
import { BADGE_FORGET_AFTER_MS } from '../perception/badge-tracker.ts';
import type { GeneratedFrameSource } from '../perception/generated-frame-source.ts';
import { systemClock } from '../shared/clock.ts';
import type { EscortTarget } from '../../statecharts/reception-types.ts';

/** One arrival of the plan. */
export type Arrival =
  | { readonly kind: 'delegate'; readonly delegate: Delegate; readonly escort: EscortTarget | null }
  /** Someone shows a badge already used (a repeat or a shared badge). */
  | { readonly kind: 'repeat'; readonly delegate: Delegate }
  /** A tampered badge: the code of one delegate with a made-up MAC. */
  | { readonly kind: 'forged'; readonly delegate: Delegate };

export interface ArrivalPlanOptions {
  readonly arrivals: number;
  readonly seed: number;
  /** Share of delegates who ask to be taken to their seat (0..1). */
  readonly seatEscortShare: number;
  /** Share who ask for the lift (0..1). */
  readonly liftEscortShare: number;
  /** Every n-th arrival repeats an earlier badge (0: never). */
  readonly repeatEvery: number;
  /** Every n-th arrival shows a forged badge (0: never). */
  readonly forgedEvery: number;
}

/** Deterministic (seeded) plan of arrivals over the delegate list. */
export function planArrivals(delegates: readonly Delegate[], options: ArrivalPlanOptions): Arrival[] {
  let state = options.seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const order = [...delegates];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const plan: Arrival[] = [];
  const arrived: Delegate[] = [];
  let next = 0;
  for (let i = 1; i <= options.arrivals; i++) {
    if (options.forgedEvery > 0 && i % options.forgedEvery === 0) {
      plan.push({ kind: 'forged', delegate: order[Math.floor(random() * order.length)]! });
    } else if (options.repeatEvery > 0 && i % options.repeatEvery === 0 && arrived.length > 3) {
      // Not one of the last few: their badges may still be in the tracker's memory of the camera view.
      plan.push({ kind: 'repeat', delegate: arrived[Math.floor(random() * (arrived.length - 3))]! });
    } else {
      const delegate = order[next++ % order.length]!;
      const r = random();
      const escort: EscortTarget | null =
        r < options.seatEscortShare ? { kind: 'seat' } : r < options.seatEscortShare + options.liftEscortShare ? { kind: 'poi', poi: 'lift' } : null;
      plan.push({ kind: 'delegate', delegate, escort });
      arrived.push(delegate);
    }
  }
  return plan;
}

export interface ArrivalReport {
  readonly arrivals: number;
  /** Check-ins acknowledged by the ledger (their ids). */
  readonly checkInIds: readonly string[];
  readonly greeted: number;
  readonly escortsRequested: number;
  readonly escorted: number;
  readonly escortsFailed: number;
  readonly refused: number;
  readonly duplicates: number;
  /** Arrivals the robot never answered within the time limit. */
  readonly unanswered: number;
  /** Badge held up in front of the camera → first greeting audio (real ms). */
  readonly badgeToGreetingMs: readonly number[];
  /** Badge held up → first audio of any answer (greeting, already checked in, refusal). */
  readonly badgeToAnswerMs: readonly number[];
  /** The camera frame the badge was read from → first greeting audio (the pipeline after the camera). */
  readonly frameToGreetingMs: readonly number[];
}

export interface RunArrivalsOptions {
  readonly controller: Controller;
  readonly camera: GeneratedFrameSource;
  readonly eventId: string;
  readonly badgeKey: Buffer;
  /** Longest real wait for the robot to answer one step. */
  readonly stepTimeoutMs?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Plays the plan against the controller, one arrival after the other. */
export async function runArrivals(plan: readonly Arrival[], options: RunArrivalsOptions): Promise<ArrivalReport> {
  const { controller, camera } = options;
  const stepTimeoutMs = options.stepTimeoutMs ?? 20_000;
  const activities: Activity[] = [];
  const unsubscribe = controller.onActivity((a) => activities.push(a));
  const report = {
    arrivals: plan.length,
    checkInIds: [] as string[],
    greeted: 0,
    escortsRequested: 0,
    escorted: 0,
    escortsFailed: 0,
    refused: 0,
    duplicates: 0,
    unanswered: 0,
    badgeToGreetingMs: [] as number[],
    badgeToAnswerMs: [] as number[],
    frameToGreetingMs: [] as number[],
  };
  const screen = (): KioskScreen['screen'] => controller.view().screen.screen;
  /** When each badge was last lowered (real ms): a person coming back shows it again later. */
  const lowered = new Map<string, number>();
  try {
    await until(() => screen() === 'attract', stepTimeoutMs);
    for (const [index, arrival] of plan.entries()) {
      const since = activities.length;
      const genuine = signBadge({ eventId: options.eventId, code: arrival.delegate.code, key: options.badgeKey });
      const token = arrival.kind === 'forged' ? forge(genuine) : genuine;
      const comeBackAtMs = (lowered.get(token) ?? 0) + BADGE_FORGET_AFTER_MS + 500;
      if (systemClock.now() < comeBackAtMs) await systemClock.sleep(comeBackAtMs - systemClock.now());
      camera.present(token);
      const heldUpAtMs = systemClock.now();
      const identified = await until(() => activities.slice(since).find((a) => a.type === 'identified'), stepTimeoutMs).catch(() => undefined);
      if (!identified || identified.type !== 'identified') {
        report.unanswered += 1;
        camera.present(null);
        lowered.set(token, systemClock.now());
        continue;
      }
      const outcome = identified.outcome;
      if (outcome.kind === 'checked-in') report.checkInIds.push(outcome.checkInId);
      if (outcome.kind === 'already-checked-in') report.duplicates += 1;
      if (outcome.kind === 'refused') report.refused += 1;

      // The answer is spoken; the delegate lowers the badge once the robot moves on.
      await until(() => screen() === 'help' || screen() === 'attract', stepTimeoutMs);
      camera.present(null);
      lowered.set(token, systemClock.now());
      for (const a of activities.slice(since)) {
        if (a.type !== 'answer-audio') continue;
        report.badgeToAnswerMs.push(a.atMs - heldUpAtMs);
        if (a.phrase !== 'greeting') continue;
        report.badgeToGreetingMs.push(a.atMs - heldUpAtMs);
        report.frameToGreetingMs.push(a.badgeToAudioMs);
      }
      if (outcome.kind === 'checked-in' && activities.slice(since).some((a) => a.type === 'speaking' && a.phrase === 'greeting')) report.greeted += 1;

      if (screen() === 'help') {
        const escort = arrival.kind === 'delegate' ? arrival.escort : null;
        if (escort) {
          report.escortsRequested += 1;
          controller.send({ type: 'ESCORT_REQUESTED', target: escort });
          const nav = await until(() => activities.slice(since).find((a) => a.type === 'navigation' && a.target.kind !== 'post'), stepTimeoutMs * 3).catch(() => undefined);
          if (nav?.type === 'navigation' && nav.outcome.status === 'succeeded') report.escorted += 1;
          else report.escortsFailed += 1;
        } else {
          controller.send({ type: 'HELP_DECLINED' });
        }
      }
      await until(() => screen() === 'attract', stepTimeoutMs * 3);
      options.onProgress?.(index + 1, plan.length);
    }
  } finally {
    unsubscribe();
    camera.present(null);
  }
  return report;
}

/** The same badge with a made-up MAC (its last four characters changed). */
function forge(token: string): string {
  const tail = token.endsWith('AAAA') ? 'BBBB' : 'AAAA';
  return token.slice(0, -4) + tail;
}

/** Polls `probe` (real time) until it returns a truthy value; rejects after `timeoutMs`. */
async function until<T>(probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = systemClock.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (systemClock.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await systemClock.sleep(2);
  }
}
