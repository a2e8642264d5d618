/** Helpers shared by unit tests (never imported by library code). */
import { InputError } from './errors.ts';

/** Runs `fn` and returns the InputError it throws; fails when it throws something else or nothing. */
export function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}
