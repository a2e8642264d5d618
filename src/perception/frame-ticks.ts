import type { Clock } from '../shared/clock.ts';

/**
 * Frame times of a timer-driven source at `periodMs` of clock time, newest-only: a
 * consumer that comes back late gets the current tick, and the skipped ticks show up as
 * gaps in `seq`. The first tick is immediate. Ends when `signal` aborts.
 */
export async function* frameTicks(clock: Clock, periodMs: number, signal: AbortSignal): AsyncGenerator<{ readonly seq: number; readonly atMs: number }, void, undefined> {
  const startMs = clock.now();
  let next = 0;
  while (!signal.aborted) {
    const nowMs = clock.now();
    const seq = Math.max(next, Math.floor((nowMs - startMs) / periodMs));
    const dueMs = startMs + seq * periodMs;
    if (dueMs > nowMs) {
      try {
        await clock.sleep(dueMs - nowMs, signal);
      } catch (err: unknown) {
        if (signal.aborted) return;
        throw err;
      }
    } else {
      // Already late: still let timers and I/O run, or a consumer that keeps up only
      // through microtasks would starve the whole process (speech, sockets, e-stop).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal.aborted) return;
    }
    yield { seq, atMs: clock.now() };
    next = seq + 1;
  }
}
