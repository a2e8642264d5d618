import { spawn, type ChildProcess } from 'node:child_process';
import type { Clock } from '../shared/clock.ts';
import { logger } from '../shared/logger.ts';
import { FrameSourceError, type Frame, type FrameSource } from './frame.ts';

const log = logger('perception/ffmpeg');

export interface FfmpegFrameSourceOptions {
  /** Device, URL or file, e.g. `/dev/video0`, `rtsp://…`, `hall.mp4`, or a lavfi graph with format 'lavfi'. */
  readonly input: string;
  /** ffmpeg input format (`-f`), e.g. 'v4l2', 'rtsp', 'lavfi'; ffmpeg guesses when absent. */
  readonly format?: string;
  readonly width: number;
  readonly height: number;
  /** Frames per second to deliver (input `-framerate` for v4l2, an fps filter otherwise). */
  readonly fps?: number;
  /** Read the input at its native rate (`-re`): a file then plays like a camera. */
  readonly realtime?: boolean;
  /** Extra input options placed before `-i`, e.g. ['-rtsp_transport', 'tcp']. */
  readonly inputArgs?: readonly string[];
  readonly clock: Clock;
  /** The ffmpeg binary (default `ffmpeg` on PATH). */
  readonly ffmpegPath?: string;
  /**
   * A running ffmpeg that delivers no frame for this long (real time) counts as a lost
   * camera. 0 disables. Default 10 000 (an RTSP connection can take seconds).
   */
  readonly stallTimeoutMs?: number;
}

/** The ffmpeg command line: raw RGBA frames of exactly width×height on stdout. */
export function ffmpegArgs(opts: Omit<FfmpegFrameSourceOptions, 'clock' | 'ffmpegPath' | 'stallTimeoutMs'>): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  if (opts.format) args.push('-f', opts.format);
  if (opts.format === 'v4l2' && opts.fps) args.push('-framerate', String(opts.fps));
  if (opts.realtime) args.push('-re');
  args.push(...(opts.inputArgs ?? []), '-i', opts.input);
  const filters = [`scale=${opts.width}:${opts.height}`];
  if (opts.fps && opts.format !== 'v4l2') filters.push(`fps=${opts.fps}`);
  args.push('-an', '-vf', filters.join(','), '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1');
  return args;
}

/** One ffmpeg process and the newest complete frame it produced. */
interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  newest: Frame | null;
  ended: boolean;
  stopping: boolean;
  failure: FrameSourceError | null;
  wake: (() => void) | null;
}

const KILL_GRACE_MS = 1000;

/**
 * Camera frames through Debian ffmpeg (V4L2 device, RTSP, video file). Each `frames()`
 * iteration runs its own ffmpeg; stdout is cut into width×height×4 frames and only the
 * newest is kept. The iteration ends when a file ends or `signal` aborts; it throws
 * FrameSourceError (problem `camera:lost`) when ffmpeg is missing, exits with an error,
 * or stalls. Leaving the iteration or close() kills ffmpeg and waits for it to exit.
 */
export class FfmpegFrameSource implements FrameSource {
  readonly description: string;
  private readonly runs = new Set<Run>();
  private closed = false;
  private lastPid: number | undefined;

  constructor(private readonly opts: FfmpegFrameSourceOptions) {
    if (!(opts.width > 0 && opts.height > 0 && Number.isInteger(opts.width) && Number.isInteger(opts.height))) {
      throw new RangeError(`ffmpeg frame size must be positive integers, got ${opts.width}×${opts.height}`);
    }
    this.description = `ffmpeg:${opts.input}`;
  }

  /** Process id of the most recently started ffmpeg (diagnostics). */
  get pid(): number | undefined {
    return this.lastPid;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    if (this.closed || signal?.aborted) return;
    const run = this.start();
    const onAbort = (): void => wake(run);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        if (signal?.aborted || this.closed) return;
        if (run.newest) {
          const frame = run.newest;
          run.newest = null;
          yield frame;
          continue;
        }
        if (run.failure) throw run.failure;
        if (run.ended) return;
        await new Promise<void>((resolve) => (run.wake = resolve));
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await stop(run);
      this.runs.delete(run);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.runs].map(async (run) => {
      wake(run);
      await stop(run);
    }));
  }

  private start(): Run {
    const { width, height, clock } = this.opts;
    const frameBytes = width * height * 4;
    const ffmpegPath = this.opts.ffmpegPath ?? 'ffmpeg';
    const stallTimeoutMs = this.opts.stallTimeoutMs ?? 10_000;
    const args = ffmpegArgs(this.opts);
    log.debug({ ffmpegPath, args }, 'starting ffmpeg');
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.lastPid = child.pid;
    let markExited: () => void = () => undefined;
    const run: Run = {
      child,
      exited: new Promise<void>((resolve) => (markExited = resolve)),
      newest: null,
      ended: false,
      stopping: false,
      failure: null,
      wake: null,
    };
    this.runs.add(run);

    let lastStderrLine = '';
    let stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-4096);
      const lines = stderrTail.split('\n').map((l) => l.trim()).filter(Boolean);
      lastStderrLine = lines.at(-1) ?? lastStderrLine;
    });

    // The watchdog runs on real time: ffmpeg and the device do, whatever the injected clock says.
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const armWatchdog = (): void => {
      if (stallTimeoutMs <= 0) return;
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        if (run.ended || run.stopping) return;
        run.failure = new FrameSourceError(`${this.description}: no frame for ${stallTimeoutMs} ms${lastStderrLine ? `: ${lastStderrLine}` : ''}`);
        wake(run);
        void stop(run);
      }, stallTimeoutMs);
      watchdog.unref();
    };
    armWatchdog();

    let current = new Uint8ClampedArray(frameBytes);
    let currentBytes = Buffer.from(current.buffer);
    let filled = 0;
    let seq = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(frameBytes - filled, chunk.length - offset);
        chunk.copy(currentBytes, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === frameBytes) {
          run.newest = { width, height, rgba: current, capturedAtMs: clock.now(), seq: seq++ };
          current = new Uint8ClampedArray(frameBytes);
          currentBytes = Buffer.from(current.buffer);
          filled = 0;
          armWatchdog();
          wake(run);
        }
      }
    });

    const finish = (failure: FrameSourceError | null): void => {
      if (run.ended) return;
      run.ended = true;
      clearTimeout(watchdog);
      if (failure && !run.stopping && !run.failure) run.failure = failure;
      markExited();
      wake(run);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(
        err.code === 'ENOENT'
          ? new FrameSourceError(`${this.description}: ffmpeg not found (${ffmpegPath}); install the Debian package ffmpeg (apt-get install ffmpeg)`)
          : new FrameSourceError(`${this.description}: ffmpeg failed to start: ${err.message}`),
      );
    });
    child.on('close', (code: number | null, killedBy: NodeJS.Signals | null) => {
      if (code === 0) return finish(null);
      const why = code !== null ? `ffmpeg exited with code ${code}` : `ffmpeg killed by ${killedBy ?? 'a signal'}`;
      log.warn({ input: this.opts.input, code, signal: killedBy, stderr: lastStderrLine }, 'ffmpeg ended');
      finish(new FrameSourceError(`${this.description}: ${why}${lastStderrLine ? `: ${lastStderrLine}` : ''}`));
    });
    return run;
  }
}

function wake(run: Run): void {
  const resolve = run.wake;
  run.wake = null;
  resolve?.();
}

/** Ends ffmpeg (SIGTERM, then SIGKILL after a grace period) and waits until it has exited. */
async function stop(run: Run): Promise<void> {
  if (!run.ended) {
    run.stopping = true;
    run.child.kill('SIGTERM');
    const force = setTimeout(() => run.child.kill('SIGKILL'), KILL_GRACE_MS);
    await run.exited;
    clearTimeout(force);
  }
  await run.exited;
}
