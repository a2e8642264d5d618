/**
 * Time is injected (STYLE 11): every module that waits or timestamps takes a Clock,
 * so simulations run accelerated and tests run deterministic.
 *
 * A Clock also satisfies XState's clock contract (setTimeout/clearTimeout), so the
 * statecharts' named delays run on the same time as the simulated robot.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in this clock's time. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** XState clock contract: runs `fn` after `ms` of this clock's time. */
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  /** How many clock milliseconds pass per real millisecond (1 for the system clock). */
  readonly speedup: number;
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('Aborted', 'AbortError');
}

/**
 * A clock that runs `speedup` times faster than real time, starting at `startMs`.
 * speedup 1 is the system clock.
 */
export function scaledClock(speedup = 1, startMs: number = Date.now()): Clock {
  if (!(speedup > 0)) throw new RangeError(`speedup must be > 0, got ${speedup}`);
  const realStart = performance.now();
  return {
    speedup,
    // Monotonic: steps of the wall clock (NTP) do not move it.
    now: () => startMs + (performance.now() - realStart) * speedup,
    setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms / speedup)),
    clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(abortError(signal));
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms / speedup));
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(abortError(signal!));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export const systemClock: Clock = scaledClock(1);
