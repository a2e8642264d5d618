/** A point in image pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * One face found in an image, in image pixels. `rightEye` is the person's right eye (on the
 * left of an unmirrored image), as MediaPipe names it.
 */
export interface DetectedFace {
  readonly box: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  readonly rightEye: Point;
  readonly leftEye: Point;
  readonly nose: Point;
  readonly mouth: Point;
  readonly rightEar: Point;
  readonly leftEar: Point;
}

export function faceWidth(face: DetectedFace): number {
  return face.box.x1 - face.box.x0;
}

export function faceArea(face: DetectedFace): number {
  return (face.box.x1 - face.box.x0) * (face.box.y1 - face.box.y0);
}

/** The largest face first (the person nearest the camera). */
export function largestFirst(faces: readonly DetectedFace[]): DetectedFace[] {
  return [...faces].sort((a, b) => faceArea(b) - faceArea(a));
}
