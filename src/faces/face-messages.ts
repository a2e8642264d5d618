import type { DetectedFace } from './face.ts';

/** Messages between WorkerFaceEngine and face-worker.ts (transferred buffers, no copies). */
export type FaceWorkerRequest =
  | { readonly type: 'detect'; readonly id: number; readonly width: number; readonly height: number; readonly rgba: Uint8ClampedArray }
  | { readonly type: 'embed'; readonly id: number; readonly crops: readonly Float32Array[] };

export type FaceWorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'load-failed'; readonly message: string }
  | { readonly type: 'detected'; readonly id: number; readonly faces: readonly DetectedFace[] }
  | { readonly type: 'embedded'; readonly id: number; readonly embeddings: readonly Float32Array[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
