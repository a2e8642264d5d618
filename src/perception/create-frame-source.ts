import { statSync } from 'node:fs';
import type { CameraConfig } from '../event/config.ts';
import type { Clock } from '../shared/clock.ts';
import { FfmpegFrameSource } from './ffmpeg-frame-source.ts';
import type { FrameSource } from './frame.ts';
import { GeneratedFrameSource } from './generated-frame-source.ts';
import { ImageFolderSource } from './image-folder-source.ts';

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The FrameSource for an event's camera configuration. A video file given to ffmpeg is
 * read at its own rate, so it plays like a live camera; folders loop for the same reason.
 */
export function createFrameSource(config: CameraConfig, clock: Clock): FrameSource {
  switch (config.kind) {
    case 'generated':
      return new GeneratedFrameSource({ fps: config.fps, seed: config.seed, clock });
    case 'ffmpeg':
      return new FfmpegFrameSource({
        input: config.input,
        ...(config.format ? { format: config.format } : {}),
        width: config.width,
        height: config.height,
        realtime: config.format === undefined && isRegularFile(config.input),
        clock,
      });
    case 'folder':
      return new ImageFolderSource({ dir: config.dir, fps: config.fps, loop: true, clock });
    default: {
      const unknown: never = config;
      throw new Error(`unknown camera kind: ${JSON.stringify(unknown)}`);
    }
  }
}
