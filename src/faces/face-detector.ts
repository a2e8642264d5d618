import * as faceDetection from '@tensorflow-models/face-detection';
import type { RgbaImage } from '../perception/qr-image.ts';
import type { DetectedFace, Point } from './face.ts';
import { modelFileHandler } from './model-files.ts';
import { tf, tfReady } from './tf-runtime.ts';
import { DETECTOR_MODEL_FILE } from './identity-policy.ts';

/** Faces a detector returns at most; more people than this in view is "too many" anyway. */
const MAX_FACES = 4;

/**
 * MediaPipe short-range face detection (BlazeFace, for faces within ~2 m) through
 * @tensorflow-models/face-detection on the tfjs runtime, weights from local files.
 */
export class FaceDetector {
  private constructor(private readonly detector: faceDetection.FaceDetector) {}

  /** Loads the model from `modelFile` (a tfjs model.json); InputError when it is missing. */
  static async load(modelFile: string = DETECTOR_MODEL_FILE): Promise<FaceDetector> {
    await tfReady();
    const detector = await faceDetection.createDetector(faceDetection.SupportedModels.MediaPipeFaceDetector, {
      runtime: 'tfjs',
      modelType: 'short',
      maxFaces: MAX_FACES,
      detectorModelUrl: modelFileHandler(modelFile),
    });
    return new FaceDetector(detector);
  }

  /** Every face in the image, in image pixels, in no particular order. */
  async detect(image: RgbaImage): Promise<DetectedFace[]> {
    const input = tf.tidy(() => rgbTensor(image));
    try {
      const faces = await this.detector.estimateFaces(input);
      return faces.flatMap((f) => toDetectedFace(f));
    } finally {
      input.dispose();
    }
  }

  dispose(): void {
    this.detector.dispose();
  }
}

function rgbTensor(image: RgbaImage): tf.Tensor3D {
  const rgb = new Int32Array(image.width * image.height * 3);
  const src = image.rgba;
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    rgb[j] = src[i] ?? 0;
    rgb[j + 1] = src[i + 1] ?? 0;
    rgb[j + 2] = src[i + 2] ?? 0;
  }
  return tf.tensor3d(rgb, [image.height, image.width, 3], 'int32');
}

function toDetectedFace(face: faceDetection.Face): DetectedFace[] {
  const named = new Map<string, Point>(face.keypoints.map((k) => [k.name ?? '', { x: k.x, y: k.y }]));
  const get = (name: string): Point | undefined => named.get(name);
  const rightEye = get('rightEye');
  const leftEye = get('leftEye');
  const nose = get('noseTip');
  const mouth = get('mouthCenter');
  const rightEar = get('rightEarTragion');
  const leftEar = get('leftEarTragion');
  if (!rightEye || !leftEye || !nose || !mouth || !rightEar || !leftEar) return [];
  const { xMin, yMin, xMax, yMax } = face.box;
  return [{ box: { x0: xMin, y0: yMin, x1: xMax, y1: yMax }, rightEye, leftEye, nose, mouth, rightEar, leftEar }];
}
