import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { logger } from '../shared/logger.ts';

const log = logger('faces.tf');
const require = createRequire(import.meta.url);

/** Which tfjs backend runs the face models: native TensorFlow when installed, else WebAssembly. */
export type TfBackendName = 'tensorflow' | 'wasm';

let ready: Promise<TfBackendName> | undefined;

/**
 * Selects the tfjs backend once per process. `@tensorflow/tfjs-node` (or `-gpu`) is used when
 * installed — it is optional and never required; otherwise the wasm backend, whose .wasm files
 * load from node_modules (SIMD, and XNNPACK threads when the runtime offers them).
 */
export function tfReady(): Promise<TfBackendName> {
  ready ??= selectBackend();
  return ready;
}

async function selectBackend(): Promise<TfBackendName> {
  for (const native of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    if (await tryImport(native)) {
      await tf.setBackend('tensorflow');
      await tf.ready();
      log.info({ backend: native }, 'tfjs native backend');
      return 'tensorflow';
    }
  }
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  setThreadsCount(Math.max(1, Math.min(4, cpus().length)));
  if (!(await tf.setBackend('wasm'))) throw new Error('the tfjs wasm backend failed to start');
  await tf.ready();
  return 'wasm';
}

async function tryImport(specifier: string): Promise<boolean> {
  try {
    require.resolve(specifier);
  } catch {
    return false;
  }
  try {
    await import(specifier);
    return true;
  } catch (err: unknown) {
    log.warn({ specifier, err }, 'installed but failed to load; using wasm');
    return false;
  }
}

export { tf };
