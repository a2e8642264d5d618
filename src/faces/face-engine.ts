import type { RgbaImage } from '../perception/qr-image.ts';
import type { DetectedFace } from './face.ts';
import type { FaceCrop } from './face-crops.ts';
import { FaceDetector } from './face-detector.ts';
import { FaceEmbedder } from './face-embedder.ts';

/**
 * The face models as a port: detection on a whole image, the identity model on crops.
 * Adapters: `InProcessFaceEngine` (this thread; tests, enrolment) and `WorkerFaceEngine`
 * (worker threads, so inference never blocks the controller; the robot and the bench).
 * Both run tfjs-node when it is installed, else the wasm backend.
 */
export interface FaceEngine {
  /** Every face in the image, in image pixels. */
  detect(image: RgbaImage): Promise<DetectedFace[]>;
  /** One raw embedding per crop, in order. */
  embed(crops: readonly FaceCrop[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export class InProcessFaceEngine implements FaceEngine {
  private constructor(
    private readonly detector: FaceDetector,
    private readonly embedder: FaceEmbedder,
  ) {}

  static async load(): Promise<InProcessFaceEngine> {
    const [detector, embedder] = await Promise.all([FaceDetector.load(), FaceEmbedder.load()]);
    return new InProcessFaceEngine(detector, embedder);
  }

  detect(image: RgbaImage): Promise<DetectedFace[]> {
    return this.detector.detect(image);
  }

  embed(crops: readonly FaceCrop[]): Promise<Float32Array[]> {
    return this.embedder.embed(crops);
  }

  close(): Promise<void> {
    this.detector.dispose();
    this.embedder.dispose();
    return Promise.resolve();
  }
}
