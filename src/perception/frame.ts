/**
 * FrameSource: the camera as a port. Adapters side by side in this folder:
 * ffmpeg (V4L2 device, RTSP, video file), an image folder, and the generated
 * frames of the demo (badges composited on backgrounds).
 */

/** One RGBA frame, row-major, 4 bytes per pixel. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
  /** Clock time (ms) when the frame was captured. */
  readonly capturedAtMs: number;
  /** Increasing per source; gaps mean frames were dropped (newest-only delivery). */
  readonly seq: number;
}

/** Thrown out of `frames()` when the source fails or disappears (problem id `camera:lost`). */
export class FrameSourceError extends Error {
  override readonly name = 'FrameSourceError';
}

export interface FrameSource {
  /** Human-readable description, e.g. `ffmpeg:/dev/video0` or `folder:./shots`. */
  readonly description: string;
  /**
   * Newest-frame-only stream: a slow consumer gets the latest frame, never a backlog.
   * Ends when the source ends (file, folder) or `signal` aborts; throws FrameSourceError
   * when the device fails.
   */
  frames(signal?: AbortSignal): AsyncIterable<Frame>;
  close(): Promise<void>;
}
