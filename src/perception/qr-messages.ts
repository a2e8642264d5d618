import type { QrDecode } from './qr-decode.ts';

/** Messages across the QrReader worker boundary (STYLE 4: tagged unions, checked exhaustively). */
export type QrWorkerRequest = {
  readonly type: 'decode';
  readonly id: number;
  readonly width: number;
  readonly height: number;
  /** A copy of the frame's pixels, transferred (not cloned) to the worker. */
  readonly rgba: Uint8ClampedArray;
  readonly deadlineMs: number;
};

export type QrWorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'decoded'; readonly id: number; readonly decode: QrDecode | null }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
