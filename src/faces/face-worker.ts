/**
 * Worker-thread entry of WorkerFaceEngine: loads the face models once, then answers
 * `detect` and `embed` requests one at a time. Started through src/shared/ts-worker.ts.
 */
import { parentPort } from 'node:worker_threads';
import { errorText } from '../shared/errors.ts';
import { InProcessFaceEngine } from './face-engine.ts';
import type { FaceWorkerReply, FaceWorkerRequest } from './face-messages.ts';

const port = parentPort;
if (!port) throw new Error('face-worker.ts runs only as a worker thread (WorkerFaceEngine starts it)');

function reply(msg: FaceWorkerReply, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

async function main(): Promise<void> {
  let engine: InProcessFaceEngine;
  try {
    engine = await InProcessFaceEngine.load();
  } catch (err: unknown) {
    reply({ type: 'load-failed', message: errorText(err) });
    return;
  }
  // Requests are handled strictly in order: tfjs on wasm is single-threaded anyway.
  let queue = Promise.resolve();
  port!.on('message', (msg: FaceWorkerRequest) => {
    queue = queue.then(() => handle(engine, msg));
  });
  reply({ type: 'ready' });
}

async function handle(engine: InProcessFaceEngine, msg: FaceWorkerRequest): Promise<void> {
  try {
    switch (msg.type) {
      case 'detect': {
        const faces = await engine.detect({ width: msg.width, height: msg.height, rgba: msg.rgba });
        reply({ type: 'detected', id: msg.id, faces });
        return;
      }
      case 'embed': {
        const embeddings = await engine.embed(msg.crops);
        reply({ type: 'embedded', id: msg.id, embeddings }, embeddings.map((e) => e.buffer as ArrayBuffer));
        return;
      }
      default: {
        const unknown: never = msg;
        throw new Error(`face-worker: unknown request ${JSON.stringify(unknown)}`);
      }
    }
  } catch (err: unknown) {
    reply({ type: 'failed', id: msg.id, message: errorText(err) });
  }
}

void main();
