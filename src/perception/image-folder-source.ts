import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import type { Clock } from '../shared/clock.ts';
import { errorText } from '../shared/errors.ts';
import { frameTicks } from './frame-ticks.ts';
import { FrameSourceError, type Frame, type FrameSource } from './frame.ts';

export interface ImageFolderSourceOptions {
  readonly dir: string;
  /** Frames per second of clock time. */
  readonly fps: number;
  /** Start again after the last file (default false: the iteration ends). */
  readonly loop?: boolean;
  readonly clock: Clock;
}

const byName = new Intl.Collator('en', { numeric: true }).compare;

/**
 * The PNG files of a folder, in name order (numbers compared as numbers: shot-2 before
 * shot-10), one per 1/fps of clock time. Newest-only: a slow consumer skips files, and
 * the skipped ones show as gaps in `seq`. A missing folder, an empty one or an
 * unreadable file throws FrameSourceError naming it.
 */
export class ImageFolderSource implements FrameSource {
  readonly description: string;
  private readonly closer = new AbortController();

  constructor(private readonly opts: ImageFolderSourceOptions) {
    if (!(opts.fps > 0)) throw new RangeError(`fps must be > 0, got ${opts.fps}`);
    this.description = `folder:${opts.dir}`;
  }

  async *frames(signal?: AbortSignal): AsyncGenerator<Frame, void, undefined> {
    const files = await this.list();
    const stop = signal ? AbortSignal.any([signal, this.closer.signal]) : this.closer.signal;
    for await (const { seq, atMs } of frameTicks(this.opts.clock, 1000 / this.opts.fps, stop)) {
      if (seq >= files.length && !this.opts.loop) return;
      const file = files[seq % files.length]!;
      const png = await decode(file);
      yield { width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data), capturedAtMs: atMs, seq };
    }
  }

  close(): Promise<void> {
    this.closer.abort();
    return Promise.resolve();
  }

  private async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.opts.dir);
    } catch (err: unknown) {
      throw new FrameSourceError(`${this.opts.dir}: cannot read the image folder (${errorText(err)})`);
    }
    const pngs = names.filter((n) => n.toLowerCase().endsWith('.png')).sort(byName);
    if (pngs.length === 0) throw new FrameSourceError(`${this.opts.dir}: no .png files in the image folder`);
    return pngs.map((n) => join(this.opts.dir, n));
  }
}

async function decode(file: string): Promise<PNG> {
  try {
    return PNG.sync.read(await readFile(file));
  } catch (err: unknown) {
    throw new FrameSourceError(`${file}: not a readable PNG (${errorText(err)})`);
  }
}
