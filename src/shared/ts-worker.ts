import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread running a TypeScript module. The bootstrap registers tsx's loader
 * inside the worker, then imports the module (`--import <tsx loader>` in the worker's
 * execArgv does not take effect for the worker's entry on Node 20).
 */
export function startTsWorker(moduleUrl: URL): Worker {
  const bootstrap = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

let tsxApiUrl: string | undefined;

/** tsx's `tsx/esm/api` ESM entry, found through tsx's own export map. */
function tsxEsmApi(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } } | string> };
  const entry = manifest.exports?.['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (!file) throw new Error(`${manifestPath}: exports['./esm/api'].import.default: expected tsx's ESM API entry`);
  tsxApiUrl = pathToFileURL(resolve(dirname(manifestPath), file)).href;
  return tsxApiUrl;
}
