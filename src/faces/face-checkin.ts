import type { Database } from 'better-sqlite3';
import type { EventConfig } from '../event/config.ts';
import type { Clock } from '../shared/clock.ts';
import { errorText } from '../shared/errors.ts';
import type { ProblemList } from '../shared/problems.ts';
import type { FaceEngine } from './face-engine.ts';
import type { FaceMatcher } from './face-matcher.ts';
import { FaceGallery } from './gallery.ts';
import { MIN_GALLERY } from './identity-policy.ts';
import { checkRetention } from './retention.ts';
import { WorkerFaceEngine } from './worker-face-engine.ts';

/** The face part of a running controller, or why there is none. */
export type FaceCheckIn =
  | { readonly on: true; readonly engine: FaceEngine; readonly matcher: () => FaceMatcher | null; readonly note: string }
  | { readonly on: false; readonly note: string };

export interface FaceCheckInOptions {
  readonly config: Pick<EventConfig, 'biometrics' | 'timeZone'>;
  readonly db: Database;
  /** Wall-clock time for the retention date. */
  readonly clock: Clock;
  readonly problems: ProblemList;
  /** The models to use; default: worker threads started here (and closed by the caller). */
  readonly engine?: FaceEngine;
}

/**
 * Turns face check-in on when someone is enrolled and the retention date has not passed.
 * Past the date the embeddings are not loaded at all (problem `faces:retention` says why and
 * what to do); the same check runs again on every use, so a long-running robot stops using
 * face data at midnight of the last allowed day. The matcher is rebuilt when the gallery
 * changes (enrolment, withdrawal, audit thresholds) while the robot runs.
 */
export async function startFaceCheckIn(opts: FaceCheckInOptions): Promise<FaceCheckIn> {
  const gallery = new FaceGallery(opts.db);
  const retention = checkRetention(opts.config, opts.clock.now());
  if (!retention.ok) {
    opts.problems.raise('faces:retention', 'warning', `Face check-in is off: ${retention.message}`, 'Badge check-in works as usual.');
    return { on: false, note: `face check-in off: ${retention.message}` };
  }
  const enrolled = gallery.count();
  if (enrolled === 0) return { on: false, note: 'face check-in off: nobody is enrolled (letan faces enroll DIR)' };
  if (enrolled < MIN_GALLERY) {
    opts.problems.raise('faces:gallery', 'info', `Face check-in is off: ${enrolled} delegates enrolled, at least ${MIN_GALLERY} needed`, 'Enrol more delegates (letan faces enroll DIR); badge check-in works as usual.');
    return { on: false, note: `face check-in off: ${enrolled} delegates enrolled, at least ${MIN_GALLERY} needed for reliable scores` };
  }
  let engine: FaceEngine;
  try {
    engine = opts.engine ?? (await WorkerFaceEngine.start());
  } catch (err: unknown) {
    opts.problems.raise('faces:engine', 'warning', `Face check-in is off: the face models did not load (${errorText(err)})`, 'Badge check-in works as usual. See models/README.md.');
    return { on: false, note: `face check-in off: the face models did not load (${errorText(err)})` };
  }
  let version = '';
  let matcher: FaceMatcher | null = null;
  const current = (): FaceMatcher | null => {
    const check = checkRetention(opts.config, opts.clock.now());
    if (!check.ok) {
      opts.problems.raise('faces:retention', 'warning', `Face check-in is off: ${check.message}`, 'Badge check-in works as usual.');
      matcher = null;
      return null;
    }
    const now = galleryVersion(opts.db);
    if (now !== version) {
      version = now;
      matcher = gallery.matcher();
    }
    return matcher;
  };
  current();
  return { on: true, engine, matcher: current, note: `face check-in on: ${enrolled} delegates enrolled` };
}

/** Changes whenever an embedding or threshold is added, replaced or removed. */
function galleryVersion(db: Database): string {
  const row = db
    .prepare<[], { v: string }>(
      `SELECT (SELECT count(*) || ':' || ifnull(max(enrolled_at_ms), 0) || ':' || ifnull(sum(consent_id), 0) FROM face_embeddings)
              || '/' || (SELECT count(*) || ':' || ifnull(sum(min_score), 0) FROM face_thresholds) AS v`,
    )
    .get();
  return row?.v ?? '';
}
