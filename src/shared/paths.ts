import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json lives). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The shared test data folder: LETAN_SHARED, else `../shared` beside the repository.
 * Data there is referenced by path, never copied into the repo.
 */
export function sharedDir(): string {
  return resolve(process.env.LETAN_SHARED ?? resolve(repoRoot, '../shared'));
}

/** A benchmark set under shared/benchmarks, or null (with the path it looked at) when missing. */
export function benchmarkSet(name: string): { path: string; present: boolean } {
  const path = resolve(sharedDir(), 'benchmarks', name);
  return { path, present: existsSync(path) };
}

/** Where runtime data (SQLite files, WAVs, badges) goes unless told otherwise: LETAN_DATA or ./data. */
export function dataDir(): string {
  return resolve(process.env.LETAN_DATA ?? resolve(repoRoot, 'data'));
}
