import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import { startTsWorker } from '../shared/ts-worker.ts';
import type { Frame } from './frame.ts';
import type { QrDecode } from './qr-decode.ts';
import type { QrWorkerReply, QrWorkerRequest } from './qr-messages.ts';

const log = logger('perception/qr-reader');

/** The deadline `letan bench qr` measures the ladder with (see its report). */
export const defaultQrDeadlineMs = 50;

export interface QrReaderOptions {
  /** Worker threads; default one per spare core, at least 1, at most 2. */
  readonly workers?: number;
  /** Soft deadline given to the ladder in each worker (default defaultQrDeadlineMs). */
  readonly deadlineMs?: number;
  /** Test-only: starts one worker thread (default startQrWorker, the real QR worker). */
  readonly newWorker?: () => Worker;
}

interface Job {
  readonly frame: Frame;
  readonly deadlineMs: number;
  readonly resolve: (decode: QrDecode | null) => void;
  readonly reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: (Job & { readonly id: number; readonly timer: NodeJS.Timeout }) | undefined;
  /** Replacement workers of this slot that failed to start since one was last ready. */
  startFailures: number;
  /** Set while the slot waits to retry a failed replacement (reads then resolve null). */
  retry: NodeJS.Timeout | undefined;
}

/**
 * A worker overrunning its deadline by this much (plus a multiple of it) is terminated.
 * The ladder checks its deadline between rungs, so a normal overrun is one rung long;
 * on 2 busy cores (speech, frame rendering) that can reach a few times the deadline.
 * Replacing a worker costs hundreds of ms, so only a truly stuck one is killed.
 */
const hardMarginMs = 200;

function hardLimitMs(deadlineMs: number): number {
  return deadlineMs * 4 + hardMarginMs;
}

/** Backoff before retrying a replacement worker that failed to start: doubles from the first, capped. */
const restartFirstDelayMs = 1_000;
const restartMaxDelayMs = 30_000;

/** Starts the real QR worker thread. */
export function startQrWorker(): Worker {
  return startTsWorker(new URL('./qr-worker.ts', import.meta.url));
}

/**
 * Reads QR codes from camera frames in worker threads, off the main thread.
 *
 * - Each read gets a copy of the frame's pixels (the caller keeps its frame).
 * - Hard deadline: a worker still busy `4 × deadlineMs + 200 ms` after it started a
 *   frame is terminated and replaced; that read resolves null.
 * - Newest-only: at most `workers` reads wait for a free worker; a new read for a full
 *   queue drops the oldest waiting one, which resolves null.
 */
/** Promise.withResolvers (Node 22) for Node 20. */
function resolvers<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class QrReader {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private readonly deadlineMs: number;
  private nextId = 1;
  private closed = false;
  private startupError: Error | undefined;
  private readonly started = resolvers<void>();
  /** Every first worker became ready once; from then on a failing start is retried, not fatal. */
  private poolStarted = false;
  private readonly newWorker: () => Worker;

  constructor(opts: QrReaderOptions = {}) {
    const workers = opts.workers ?? Math.min(2, Math.max(1, availableParallelism() - 1));
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be an integer ≥ 1, got ${workers}`);
    this.deadlineMs = opts.deadlineMs ?? defaultQrDeadlineMs;
    this.newWorker = opts.newWorker ?? startQrWorker;
    for (let i = 0; i < workers; i++) {
      const slot: Slot = { worker: this.newWorker(), ready: false, job: undefined, startFailures: 0, retry: undefined };
      this.attach(slot);
      this.slots.push(slot);
    }
  }

  /** Resolves once every worker has started and warmed up; rejects when one of these first workers cannot start. */
  whenReady(): Promise<void> {
    return this.started.promise;
  }

  /**
   * Resolves with the code in `frame`, or null (none found, deadline, dropped, closed
   * meanwhile, every worker waiting to be restarted). Rejects once the reader is closed.
   */
  read(frame: Frame, opts: { deadlineMs?: number } = {}): Promise<QrDecode | null> {
    if (this.closed) return Promise.reject(this.startupError ?? new Error('QrReader is closed'));
    if (this.noWorkerComing()) return Promise.resolve(null);
    return new Promise<QrDecode | null>((resolve, reject) => {
      this.waiting.push({ frame, deadlineMs: opts.deadlineMs ?? this.deadlineMs, resolve, reject });
      while (this.waiting.length > this.slots.length) this.waiting.shift()!.resolve(null);
      this.pump();
    });
  }

  /** Terminates the workers; reads still pending resolve null. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.resolve(null);
    await Promise.all(
      this.slots.map(async (slot) => {
        clearTimeout(slot.retry);
        slot.retry = undefined;
        this.finish(slot, null);
        await slot.worker.terminate();
      }),
    );
  }

  /** Listens to the slot's current worker; events from a replaced worker are ignored. */
  private attach(slot: Slot): void {
    const worker = slot.worker;
    worker.on('message', (msg: QrWorkerReply) => {
      if (slot.worker === worker) this.onReply(slot, msg);
    });
    worker.on('error', (err: Error) => {
      if (slot.worker !== worker) return;
      if (!slot.ready) return this.failStartup(slot, err);
      log.error({ err: errorText(err) }, 'QR worker failed; replacing it');
      this.replace(slot);
    });
    worker.on('exit', (code: number) => {
      if (this.closed || slot.worker !== worker) return;
      if (!slot.ready) return this.failStartup(slot, new Error(`QR worker exited with code ${code} before it was ready`));
      log.warn({ code }, 'QR worker exited; replacing it');
      this.replace(slot);
    });
  }

  private onReply(slot: Slot, msg: QrWorkerReply): void {
    switch (msg.type) {
      case 'ready':
        slot.ready = true;
        if (slot.startFailures > 0) log.info({ failures: slot.startFailures }, 'QR worker restarted');
        slot.startFailures = 0;
        if (!this.poolStarted && this.slots.every((s) => s.ready)) {
          this.poolStarted = true;
          this.started.resolve();
        }
        break;
      case 'decoded':
        if (slot.job?.id === msg.id) this.finish(slot, msg.decode);
        break;
      case 'failed':
        log.warn({ err: msg.message }, 'QR decode failed');
        if (slot.job?.id === msg.id) this.finish(slot, null);
        break;
      default: {
        const unknownType: never = msg;
        log.error({ msg: unknownType }, 'unknown message from QR worker');
      }
    }
    this.pump();
  }

  /**
   * A first worker that cannot even start (e.g. the loader is missing) would fail the same
   * way again: no respawn loop; the reader closes and every read rejects with the cause.
   * Once the pool has started, a replacement that fails to start (a passing fault: memory,
   * a busy host) is retried after a backoff; meanwhile reads that no worker can serve resolve null.
   */
  private failStartup(slot: Slot, err: Error): void {
    if (this.poolStarted) return this.retryLater(slot, err);
    if (this.startupError) return;
    this.startupError = new Error(`QR worker failed to start: ${err.message}`);
    this.started.reject(this.startupError);
    this.started.promise.catch(() => undefined); // also reported through read()
    log.error({ err: err.message }, 'QR worker failed to start');
    for (const job of this.waiting.splice(0)) job.reject(this.startupError);
    this.close().catch((closeErr: unknown) => log.warn({ err: errorText(closeErr) }, 'closing the QR reader failed'));
  }

  private retryLater(slot: Slot, err: Error): void {
    if (this.closed || slot.retry) return; // a failing worker reports both 'error' and 'exit'
    slot.startFailures++;
    const delayMs = Math.min(restartMaxDelayMs, restartFirstDelayMs * 2 ** (slot.startFailures - 1));
    log.error({ err: err.message, failures: slot.startFailures, retryInMs: delayMs }, 'replacement QR worker failed to start; retrying');
    slot.retry = setTimeout(() => {
      slot.retry = undefined;
      this.replace(slot);
    }, delayMs);
    if (this.noWorkerComing()) for (const job of this.waiting.splice(0)) job.resolve(null);
  }

  /** Every slot is waiting out a restart backoff: nothing would serve a read for a while. */
  private noWorkerComing(): boolean {
    return this.slots.every((s) => s.retry !== undefined);
  }

  /** Resolves the slot's current read (if any) and frees the slot. */
  private finish(slot: Slot, decode: QrDecode | null): void {
    const job = slot.job;
    if (!job) return;
    clearTimeout(job.timer);
    slot.job = undefined;
    job.resolve(decode);
  }

  /** Terminates the slot's worker (if still running) and starts a fresh one in its place. */
  private replace(slot: Slot): void {
    this.finish(slot, null);
    if (this.closed) return;
    const old = slot.worker;
    slot.worker = this.newWorker();
    slot.ready = false;
    this.attach(slot);
    old.terminate().catch((err: unknown) => log.warn({ err: errorText(err) }, 'terminating a QR worker failed'));
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = this.waiting.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => {
        log.warn({ deadlineMs: job.deadlineMs }, 'QR worker overran its deadline; replacing it');
        this.replace(slot);
      }, hardLimitMs(job.deadlineMs));
      slot.job = { ...job, id, timer };
      const rgba = new Uint8ClampedArray(job.frame.rgba);
      const request: QrWorkerRequest = { type: 'decode', id, width: job.frame.width, height: job.frame.height, rgba, deadlineMs: job.deadlineMs };
      slot.worker.postMessage(request, [rgba.buffer]);
    }
  }
}
