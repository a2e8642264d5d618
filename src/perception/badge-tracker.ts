import type { Clock } from '../shared/clock.ts';

export interface BadgeTrackerOptions {
  readonly clock: Clock;
  /** A badge out of view longer than this counts again when it comes back (default 3000 ms). */
  readonly forgetAfterMs?: number;
}

/** How long a badge must be out of view before showing it again counts as a new showing. */
export const BADGE_FORGET_AFTER_MS = 3000;

/**
 * Debounces badge reads: the same badge held up over many consecutive frames counts
 * once. Pure bookkeeping; the clock only bounds memory (entries older than
 * `forgetAfterMs` by the clock are dropped).
 */
export class BadgeTracker {
  private readonly lastSeenMs = new Map<string, number>();
  private readonly clock: Clock;
  private readonly forgetAfterMs: number;

  constructor(opts: BadgeTrackerOptions) {
    this.clock = opts.clock;
    this.forgetAfterMs = opts.forgetAfterMs ?? BADGE_FORGET_AFTER_MS;
    if (!(this.forgetAfterMs >= 0)) throw new RangeError(`forgetAfterMs must be ≥ 0, got ${this.forgetAfterMs}`);
  }

  /**
   * Records that `text` was read at `atMs`. True the first time, or when the badge was
   * out of view (not seen) for longer than `forgetAfterMs`; false while it stays in view.
   */
  see(text: string, atMs: number): boolean {
    this.forgetOld();
    const lastMs = this.lastSeenMs.get(text);
    this.lastSeenMs.set(text, Math.max(atMs, lastMs ?? atMs));
    return lastMs === undefined || atMs - lastMs > this.forgetAfterMs;
  }

  /**
   * Treats `text` as in view at `atMs` without counting a showing: for a reader that
   * looked away (the robot was busy answering it) and cannot tell whether the badge
   * stayed up meanwhile. A badge still held up when it looks again is then the same showing.
   */
  touch(text: string, atMs: number): void {
    const lastMs = this.lastSeenMs.get(text);
    this.lastSeenMs.set(text, Math.max(atMs, lastMs ?? atMs));
  }

  private forgetOld(): void {
    const cutoffMs = this.clock.now() - this.forgetAfterMs;
    for (const [text, lastMs] of this.lastSeenMs) if (lastMs < cutoffMs) this.lastSeenMs.delete(text);
  }
}
