/**
 * Test helpers for real-inference face tests: one in-process engine per test file, and the
 * enrolment feature of a real photo (which must pass the enrolment gate).
 */
import { afterAll, beforeAll } from 'vitest';
import { readImageFile } from '../perception/image-file.ts';
import { InProcessFaceEngine, type FaceEngine } from './face-engine.ts';
import { faceFeature, type FaceFeature } from './face-features.ts';
import { assessFace, type FaceMetrics } from './face-quality.ts';

/** Loads the models once for the calling test file (in beforeAll) and frees them after. */
export function useFaceEngine(): () => FaceEngine {
  let engine: InProcessFaceEngine | undefined;
  beforeAll(async () => {
    engine = await InProcessFaceEngine.load();
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
  });
  return () => {
    if (!engine) throw new Error('useFaceEngine: the engine is not loaded yet (call it inside a test)');
    return engine;
  };
}

/** The enrolment feature of the photo at `file`; throws when the photo fails the enrolment gate. */
export async function enrolmentFeature(engine: FaceEngine, file: string): Promise<{ feature: FaceFeature; quality: FaceMetrics }> {
  const image = await readImageFile(file);
  const q = assessFace(image, await engine.detect(image), 'enrol');
  if (!q.ok) throw new Error(`${file}: enrolment gate: ${q.reason}`);
  return { feature: await faceFeature(engine, image, q.face), quality: q.metrics };
}
