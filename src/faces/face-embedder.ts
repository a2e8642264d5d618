import type { GraphModel } from '@tensorflow/tfjs-converter';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import type { FaceCrop } from './face-crops.ts';
import { EMBEDDER_INPUT_PX, EMBEDDER_MODEL_FILE, EMBEDDER_OUTPUT, EMBEDDING_DIM } from './identity-policy.ts';
import { modelFileHandler } from './model-files.ts';
import { tf, tfReady } from './tf-runtime.ts';

/** Runs the identity model: crops in, one raw EMBEDDING_DIM vector per crop out. */
export class FaceEmbedder {
  private constructor(private readonly model: GraphModel) {}

  static async load(modelFile: string = EMBEDDER_MODEL_FILE): Promise<FaceEmbedder> {
    await tfReady();
    return new FaceEmbedder(await loadGraphModel(modelFileHandler(modelFile)));
  }

  /** One batch through the model; the result keeps the order of `crops`. */
  async embed(crops: readonly FaceCrop[]): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    const px = EMBEDDER_INPUT_PX;
    const batch = new Float32Array(crops.length * px * px * 3);
    crops.forEach((c, i) => batch.set(c, i * px * px * 3));
    const input = tf.tensor4d(batch, [crops.length, px, px, 3]);
    try {
      const output = this.model.execute(input, EMBEDDER_OUTPUT) as tf.Tensor;
      const flat = (await output.data()) as Float32Array;
      output.dispose();
      return crops.map((_, i) => flat.slice(i * EMBEDDING_DIM, (i + 1) * EMBEDDING_DIM));
    } finally {
      input.dispose();
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
