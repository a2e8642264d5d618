/**
 * Test support for the statecharts: stub effect actors whose promises the test settles
 * by hand, so a test walks the machine step by step. Stubs stand in for I/O only
 * (identifying and checking in, speech, driving); the machine under test is the real one.
 */
import { fromCallback, fromPromise } from 'xstate';
import type { NavOutcome } from '../src/robot/robot-port.ts';
import type { RobotEvent } from './robot-modes.ts';
import type { IdentifyInput, IdentifyOutcome, NavigateInput, SpeakInput } from './reception-types.ts';

export interface PendingCall<I, O> {
  readonly input: I;
  readonly signal: AbortSignal;
  resolve(output: O): void;
  reject(err: Error): void;
}

/** A fromPromise actor that records each call and leaves it pending until the test settles it. */
export function controllable<I, O>() {
  const calls: PendingCall<I, O>[] = [];
  const logic = fromPromise<O, I>(
    ({ input, signal }) =>
      new Promise<O>((resolve, reject) => {
        calls.push({ input, signal, resolve, reject });
      }),
  );
  return {
    logic,
    calls,
    last(): PendingCall<I, O> {
      const call = calls.at(-1);
      if (!call) throw new Error('no call yet');
      return call;
    },
  };
}

export function receptionStubs() {
  const identify = controllable<IdentifyInput, IdentifyOutcome>();
  const speak = controllable<SpeakInput, void>();
  const navigate = controllable<NavigateInput, NavOutcome>();
  return {
    identify,
    speak,
    navigate,
    actors: { identify: identify.logic, speak: speak.logic, navigate: navigate.logic },
  };
}

/** holdStop stub: counts how often the stop latch was taken and released. */
export function stopLatchStub() {
  const latch = { taken: 0, released: 0 };
  const logic = fromCallback<RobotEvent>(() => {
    latch.taken += 1;
    return () => {
      latch.released += 1;
    };
  });
  return { latch, logic };
}

/** Lets pending promise callbacks (actor completions) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}
