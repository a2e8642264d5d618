/** Helpers shared by unit tests (never imported by library code). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
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

/**
 * A fresh temporary folder for each test of the enclosing describe: created before each
 * test and handed to `use`, removed (with its contents) after it.
 */
export function tempDirPerTest(prefix: string, use: (dir: string) => void): void {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    use(dir);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
}
