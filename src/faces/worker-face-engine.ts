import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { RgbaImage } from '../perception/qr-image.ts';
import { startTsWorker } from '../shared/ts-worker.ts';
import type { DetectedFace } from './face.ts';
import type { FaceCrop } from './face-crops.ts';
import type { FaceEngine } from './face-engine.ts';
import type { FaceWorkerReply, FaceWorkerRequest } from './face-messages.ts';

interface Pending {
  readonly resolve: (reply: FaceWorkerReply) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * The face models in worker threads, so the controller's event loop (e-stop, speech,
 * HTTP) never waits for inference. With two workers a face's crops are embedded in
 * parallel (tfjs's wasm backend has no threads on Node), which is what brings one
 * identification under the 300 ms target on 2 cores.
 */
export class WorkerFaceEngine implements FaceEngine {
  private nextId = 1;
  private closed = false;

  private constructor(private readonly slots: readonly Slot[]) {}

  /** Starts `workers` threads (default: one per core, at most 2) and waits until every one has loaded the models. */
  static async start(workers = Math.max(1, Math.min(2, availableParallelism()))): Promise<WorkerFaceEngine> {
    const slots = Array.from({ length: workers }, () => ({ worker: startTsWorker(new URL('./face-worker.ts', import.meta.url)), pending: new Map<number, Pending>() }));
    try {
      await Promise.all(slots.map((slot) => ready(slot)));
    } catch (err: unknown) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw err;
    }
    const engine = new WorkerFaceEngine(slots);
    for (const slot of slots) {
      slot.worker.on('message', (msg: FaceWorkerReply) => engine.onReply(slot, msg));
      slot.worker.on('error', (err) => engine.failAll(slot, err));
      slot.worker.on('exit', (code) => engine.failAll(slot, new Error(`face worker exited (code ${code})`)));
    }
    return engine;
  }

  /** Runs on the least busy worker. */
  async detect(image: RgbaImage): Promise<DetectedFace[]> {
    const slot = [...this.slots].sort((a, b) => a.pending.size - b.pending.size)[0]!;
    const rgba = image.rgba.slice();
    const reply = await this.request(slot, { type: 'detect', id: this.nextId++, width: image.width, height: image.height, rgba }, [rgba.buffer]);
    if (reply.type !== 'detected') throw new Error(`face worker: expected detected, got ${reply.type}`);
    return [...reply.faces];
  }

  /** Splits the crops evenly over the workers and runs the shares in parallel; results keep the crops' order. */
  async embed(crops: readonly FaceCrop[]): Promise<Float32Array[]> {
    const shares = this.slots.map((): FaceCrop[] => []);
    crops.forEach((crop, i) => shares[i % shares.length]!.push(crop.slice()));
    const replies = await Promise.all(
      shares.map((share, w) =>
        share.length === 0
          ? Promise.resolve([] as Float32Array[])
          : this.request(this.slots[w]!, { type: 'embed', id: this.nextId++, crops: share }, share.map((c) => c.buffer as ArrayBuffer)).then((reply) => {
              if (reply.type !== 'embedded') throw new Error(`face worker: expected embedded, got ${reply.type}`);
              return [...reply.embeddings];
            }),
      ),
    );
    return crops.map((_, i) => replies[i % replies.length]![Math.floor(i / replies.length)]!);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private request(slot: Slot, msg: FaceWorkerRequest, transfer: ArrayBuffer[]): Promise<FaceWorkerReply> {
    if (this.closed) return Promise.reject(new Error('face engine closed'));
    return new Promise((resolve, reject) => {
      slot.pending.set(msg.id, { resolve, reject });
      slot.worker.postMessage(msg, transfer);
    });
  }

  private onReply(slot: Slot, msg: FaceWorkerReply): void {
    if (msg.type === 'ready' || msg.type === 'load-failed') return;
    const pending = slot.pending.get(msg.id);
    if (!pending) return;
    slot.pending.delete(msg.id);
    if (msg.type === 'failed') pending.reject(new Error(`face worker: ${msg.message}`));
    else pending.resolve(msg);
  }

  private failAll(slot: Slot, err: Error): void {
    for (const p of slot.pending.values()) p.reject(this.closed ? new Error('face engine closed') : err);
    slot.pending.clear();
  }
}

function ready(slot: Slot): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: FaceWorkerReply): void => {
      if (msg.type === 'ready') done(resolve);
      else if (msg.type === 'load-failed') done(() => reject(new Error(`face models failed to load: ${msg.message}`)));
    };
    const onExit = (code: number): void => done(() => reject(new Error(`face worker exited while loading (code ${code})`)));
    const done = (then: () => void): void => {
      slot.worker.off('message', onMessage);
      slot.worker.off('exit', onExit);
      then();
    };
    slot.worker.on('message', onMessage);
    slot.worker.on('exit', onExit);
  });
}
