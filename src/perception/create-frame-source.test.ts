import { describe, expect, it } from 'vitest';
import { scaledClock } from '../shared/clock.ts';
import { createFrameSource } from './create-frame-source.ts';
import { FfmpegFrameSource } from './ffmpeg-frame-source.ts';
import { GeneratedFrameSource } from './generated-frame-source.ts';
import { ImageFolderSource } from './image-folder-source.ts';

const clock = scaledClock(1);

describe('createFrameSource', () => {
  it('maps each camera kind of the event config to its adapter', () => {
    const generated = createFrameSource({ kind: 'generated', fps: 15, seed: 4 }, clock);
    expect(generated).toBeInstanceOf(GeneratedFrameSource);
    expect(generated.description).toBe('generated:seed=4');
    const ffmpeg = createFrameSource({ kind: 'ffmpeg', input: '/dev/video0', format: 'v4l2', width: 640, height: 480 }, clock);
    expect(ffmpeg).toBeInstanceOf(FfmpegFrameSource);
    expect(ffmpeg.description).toBe('ffmpeg:/dev/video0');
    const folder = createFrameSource({ kind: 'folder', dir: '/tmp/shots', fps: 5 }, clock);
    expect(folder).toBeInstanceOf(ImageFolderSource);
    expect(folder.description).toBe('folder:/tmp/shots');
  });
});
