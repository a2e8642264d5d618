/** How a check-in was made. */
export type CheckInSource = 'badge' | 'face' | 'both' | 'manual';

/** A request to check a delegate in. `id` is the idempotency key: the same id twice is one check-in. */
export interface CheckInRequest {
  readonly id: string;
  readonly code: string;
  readonly source: CheckInSource;
  /** Device that made it, e.g. `robot-1`. */
  readonly device: string;
  /** Entrance, e.g. `A`. */
  readonly gate: string;
  /** Staff member, for manual check-ins. */
  readonly operator?: string;
  /** 0..1 for face; 1 for a verified badge. */
  readonly confidence?: number;
}

export interface CheckInRecord {
  readonly id: string;
  readonly code: string;
  readonly atMs: number;
  readonly source: CheckInSource;
  readonly device: string;
  readonly gate: string;
  readonly operator: string | null;
  readonly confidence: number | null;
}

export type CheckInResult =
  /** Stored durably (fsync'd) before this returns. `replayed`: this id was already stored. */
  | { readonly status: 'checked-in'; readonly record: CheckInRecord; readonly replayed: boolean }
  /** The delegate was already present: here is the first check-in. The attempt is logged. */
  | { readonly status: 'already'; readonly first: CheckInRecord }
  | { readonly status: 'unknown-delegate'; readonly code: string };

export interface Presence {
  readonly present: number;
  readonly total: number;
}
