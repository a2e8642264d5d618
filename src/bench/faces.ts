import { resolve } from 'node:path';
import { computeAudit } from '../faces/audit.ts';
import { largestFirst } from '../faces/face.ts';
import type { FaceEngine } from '../faces/face-engine.ts';
import { InProcessFaceEngine } from '../faces/face-engine.ts';
import { ALL_CROPS, cropsForFrame, FaceEvidence, makeCrops } from '../faces/face-evidence.ts';
import { faceFeature } from '../faces/face-features.ts';
import { loadFaceManifest, type FaceSetImage } from '../faces/face-manifest.ts';
import { FaceMatcher, type GalleryEntry } from '../faces/face-matcher.ts';
import { assessFace } from '../faces/face-quality.ts';
import type { FaceDecision } from '../faces/identity-decision.ts';
import { ACCEPT_SCORE, GREY_SCORE, MARGIN } from '../faces/identity-policy.ts';
import { jitterImage } from '../faces/jitter.ts';
import { WorkerFaceEngine } from '../faces/worker-face-engine.ts';
import { readImageFile } from '../perception/image-file.ts';
import type { RgbaImage } from '../perception/qr-image.ts';
import { fitWithin } from '../perception/resize.ts';
import { seededRandom } from '../perception/seeded-random.ts';
import { parseCommandArgs, wholeNumber } from '../shared/args.ts';
import { InputError } from '../shared/errors.ts';
import { benchmarkSet } from '../shared/paths.ts';
import { summarize } from '../shared/stats.ts';

/**
 * `letan bench faces [--set DIR] [--gallery N] [--seed S] [--frames K] [--workers W] [--json]`:
 * the shipped face pipeline (detector, crops, identity model, gallery audit thresholds, open-set
 * decision) on a manifest-described set (benchmarks/faces/manifest.json format).
 *
 * Enrolment: each `enroll` image through the enrolment quality gate (a rejected photo leaves its
 * person unenrolled: their queries can then only be "unsure"). `--gallery N` enrols a seeded
 * random N of the enrolled identities; the others' queries become impostors (never enrolled).
 * Queries: each `query`/`impostor` image shrunk to fit a 1280×720 camera frame (a larger photo
 * is more than a camera sees), or with `--frames K` K jittered copies of it (shift,
 * scale, rotation, brightness: how successive camera frames differ), the crops spread over the
 * frames as a live camera does (cropsForFrame) and the decision requiring all K to agree.
 *
 * rank1: genuine queries identified as the right person ÷ genuine queries. wrong_identity_accepts:
 * genuine queries identified as someone else. impostor_accepts: impostor queries identified as
 * anyone. unsure_rate: genuine queries left unsure or unknown ÷ genuine queries. one_tap_rate:
 * genuine queries either identified or "unsure" with the right candidate (a one-tap staff confirm).
 * tar_at_far_1e3 / eer: 1:1 verification over every (query, enrolled) pair of fused scores.
 * detect_ms: one detection. identify_ms: face in view → decision (all frames: detect, crops, embed, match).
 */
/** The camera frame queries are fitted into (a 720p webcam, the robot's camera). */
const CAMERA_WIDTH = 1280;
const CAMERA_HEIGHT = 720;

export async function run(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'bench faces',
    args,
    {
      set: { type: 'string' },
      gallery: { type: 'string' },
      seed: { type: 'string' },
      frames: { type: 'string' },
      workers: { type: 'string' },
      'in-process': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    false,
  );
  const setDir = values.set ? resolve(values.set) : benchmarkSet('faces').path;
  const images = loadFaceManifest(setDir);
  const frames = values.frames === undefined ? 1 : wholeNumber('--frames', values.frames, 16);
  const seed = values.seed === undefined ? 1 : wholeNumber('--seed', values.seed, 1_000_000);
  const enrolImages = images.filter((i) => i.role === 'enroll');
  const galleryIds = pickGallery(enrolImages, values.gallery, seed);

  const engine: FaceEngine = values['in-process'] ? await InProcessFaceEngine.load() : await WorkerFaceEngine.start(values.workers === undefined ? undefined : wholeNumber('--workers', values.workers, 8));
  try {
    const enrolment = await enrol(engine, enrolImages.filter((i) => galleryIds.has(i.identity)));
    const plain = new FaceMatcher(enrolment.entries);
    const audit = computeAudit(plain, []);
    const minScores = new Map(audit.thresholds.map((t) => [t.code, t.minScore]));
    const matcher = new FaceMatcher(enrolment.entries.map((e) => ({ ...e, minScore: minScores.get(e.code) ?? null })));
    const enrolled = new Set(enrolment.entries.map((e) => e.code));

    const queries = images.filter((i) => i.role !== 'enroll');
    const results: QueryResult[] = [];
    for (const [index, q] of queries.entries()) {
      results.push(await identify(engine, matcher, q, frames, seed, index));
      if (!values.json && process.stderr.isTTY) process.stderr.write(`\r  ${index + 1}/${queries.length} queries`);
    }
    if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
    const report = summarise(results, enrolled, galleryIds, enrolment, matcher.size, audit.thresholds.length, frames);
    printReport(setDir, report, values.gallery);
    printErrors(results, galleryIds);
    if (values.json) console.log(JSON.stringify(report));
    return 0;
  } finally {
    await engine.close();
  }
}

interface Enrolment {
  readonly entries: GalleryEntry[];
  readonly rejected: { readonly file: string; readonly reason: string }[];
}

interface QueryResult {
  readonly image: FaceSetImage;
  /** null: no face found in the photo. */
  readonly decision: FaceDecision | null;
  /** Fused scores against every enrolled person (for TAR/FAR/EER). */
  readonly scores: readonly { code: string; score: number }[];
  readonly detectMs: number;
  readonly identifyMs: number;
}

function pickGallery(enrolImages: readonly FaceSetImage[], gallery: string | undefined, seed: number): Set<string> {
  const ids = [...new Set(enrolImages.map((i) => i.identity))];
  if (gallery === undefined) return new Set(ids);
  const n = wholeNumber('--gallery', gallery, ids.length);
  const rng = seededRandom(seed, 0x6a11);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return new Set(ids.slice(0, n));
}

async function enrol(engine: FaceEngine, photos: readonly FaceSetImage[]): Promise<Enrolment> {
  const entries: GalleryEntry[] = [];
  const rejected: { file: string; reason: string }[] = [];
  for (const photo of photos) {
    let image: RgbaImage;
    try {
      image = await readImageFile(photo.file);
    } catch (err: unknown) {
      if (!(err instanceof InputError)) throw err;
      rejected.push({ file: photo.file, reason: err.message });
      continue;
    }
    const quality = assessFace(image, await engine.detect(image), 'enrol');
    if (!quality.ok) {
      rejected.push({ file: photo.file, reason: quality.reason });
      continue;
    }
    entries.push({ code: photo.identity, feature: await faceFeature(engine, image, quality.face) });
  }
  return { entries, rejected };
}

async function identify(engine: FaceEngine, matcher: FaceMatcher, q: FaceSetImage, frames: number, seed: number, index: number): Promise<QueryResult> {
  // Seen as a camera would: a photo larger than the camera's frame is shrunk to fit it.
  const original = fitWithin(await readImageFile(q.file), CAMERA_WIDTH, CAMERA_HEIGHT);
  const views = frames === 1 ? [original] : Array.from({ length: frames }, (_, f) => jitterImage(original, seededRandom(seed, index, f)));
  const evidence = new FaceEvidence();
  let detectMs = 0;
  const startMs = performance.now();
  for (const [f, view] of views.entries()) {
    const t0 = performance.now();
    const face = largestFirst(await engine.detect(view))[0];
    if (f === 0) detectMs = performance.now() - t0;
    if (!face) continue;
    const slots = frames === 1 ? ALL_CROPS : cropsForFrame(f);
    evidence.addFrame(slots, await engine.embed(makeCrops(view, face, slots)));
  }
  if (evidence.frames === 0) return { image: q, decision: null, scores: [], detectMs, identifyMs: performance.now() - startMs };
  const decision = evidence.decide(matcher, frames);
  const identifyMs = performance.now() - startMs;
  return { image: q, decision, scores: matcher.rank(evidence.fused()), detectMs, identifyMs };
}

export interface FacesBenchReport {
  readonly tar_at_far_1e3: number;
  readonly eer: number;
  readonly rank1: number;
  readonly one_tap_rate: number;
  readonly wrong_identity_accepts: number;
  readonly impostor_accepts: number;
  readonly unsure_rate: number;
  readonly impostors_to_staff: number;
  readonly gallery_size: number;
  readonly enrol_rejected: number;
  readonly per_person_thresholds: number;
  readonly genuine_queries: number;
  readonly impostor_queries: number;
  readonly no_face: number;
  readonly frames: number;
  readonly policy: { readonly accept: number; readonly margin: number; readonly grey: number };
  readonly detect_ms: { readonly p50: number; readonly p95: number };
  readonly identify_ms: { readonly p50: number; readonly p95: number };
}

function summarise(
  results: readonly QueryResult[],
  enrolled: ReadonlySet<string>,
  galleryIds: ReadonlySet<string>,
  enrolment: Enrolment,
  gallerySize: number,
  thresholds: number,
  frames: number,
): FacesBenchReport {
  // Genuine: the person was chosen for the gallery (even if their enrolment photo was rejected).
  const genuine = results.filter((r) => r.image.role === 'query' && galleryIds.has(r.image.identity));
  const impostors = results.filter((r) => !(r.image.role === 'query' && galleryIds.has(r.image.identity)));
  const identifiedAs = (r: QueryResult): string | null => (r.decision?.kind === 'identified' ? r.decision.code : null);
  const right = genuine.filter((r) => identifiedAs(r) === r.image.identity).length;
  const wrong = genuine.filter((r) => identifiedAs(r) !== null && identifiedAs(r) !== r.image.identity).length;
  const oneTap = genuine.filter((r) => identifiedAs(r) === r.image.identity || (r.decision?.kind === 'unsure' && r.decision.candidate === r.image.identity)).length;
  const genuinePairs: number[] = [];
  const impostorPairs: number[] = [];
  for (const r of results) {
    for (const s of r.scores) (s.code === r.image.identity && enrolled.has(s.code) ? genuinePairs : impostorPairs).push(s.score);
  }
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  return {
    tar_at_far_1e3: round(tarAtFar(genuinePairs, impostorPairs, 1e-3)),
    eer: round(equalErrorRate(genuinePairs, impostorPairs)),
    rank1: round(right / Math.max(1, genuine.length)),
    one_tap_rate: round(oneTap / Math.max(1, genuine.length)),
    wrong_identity_accepts: wrong,
    impostor_accepts: impostors.filter((r) => identifiedAs(r) !== null).length,
    unsure_rate: round((genuine.length - right - wrong) / Math.max(1, genuine.length)),
    impostors_to_staff: impostors.filter((r) => r.decision?.kind === 'unsure').length,
    gallery_size: gallerySize,
    enrol_rejected: enrolment.rejected.length,
    per_person_thresholds: thresholds,
    genuine_queries: genuine.length,
    impostor_queries: impostors.length,
    no_face: results.filter((r) => r.decision === null).length,
    frames,
    policy: { accept: ACCEPT_SCORE, margin: MARGIN, grey: GREY_SCORE },
    detect_ms: summarize(results.map((r) => r.detectMs), [50, 95]),
    identify_ms: summarize(results.filter((r) => r.decision !== null).map((r) => r.identifyMs), [50, 95]),
  };
}

/** Share of genuine scores at or above the lowest threshold whose impostor acceptance is at most `far`. */
function tarAtFar(genuine: readonly number[], impostor: readonly number[], far: number): number {
  if (genuine.length === 0 || impostor.length === 0) return 0;
  const sorted = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(far * sorted.length);
  const threshold = allowed < sorted.length ? (sorted[allowed] ?? 0) + 1e-9 : -Infinity;
  return genuine.filter((s) => s >= threshold).length / genuine.length;
}

/** The error rate where false rejects equal false accepts (scanning every observed score as a threshold). */
function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): number {
  if (genuine.length === 0 || impostor.length === 0) return 0;
  const g = [...genuine].sort((a, b) => a - b);
  const im = [...impostor].sort((a, b) => a - b);
  let best = 1;
  let gi = 0;
  let ii = 0;
  for (const t of [...g, ...im].sort((a, b) => a - b)) {
    while (gi < g.length && g[gi]! < t) gi++;
    while (ii < im.length && im[ii]! < t) ii++;
    const frr = gi / g.length;
    const far = (im.length - ii) / im.length;
    best = Math.min(best, Math.max(frr, far));
  }
  return best;
}

/** Every wrong or impostor accept, so a failing policy can be understood (stderr: the JSON line stays last on stdout). */
function printErrors(results: readonly QueryResult[], galleryIds: ReadonlySet<string>): void {
  for (const r of results) {
    if (r.decision?.kind !== 'identified') continue;
    const genuine = r.image.role === 'query' && galleryIds.has(r.image.identity);
    if (genuine && r.decision.code === r.image.identity) continue;
    const what = genuine ? `WRONG (is ${r.image.identity})` : 'IMPOSTOR';
    console.error(`  ${what}: ${r.image.file} named ${r.decision.code} at ${r.decision.score.toFixed(3)}, margin ${r.decision.margin.toFixed(3)}`);
  }
}

function printReport(setDir: string, r: FacesBenchReport, gallery: string | undefined): void {
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  console.log(`Faces on ${setDir}${gallery ? ` (random gallery of ${gallery})` : ''}, ${r.frames} frame(s) a query`);
  console.log(`  gallery ${r.gallery_size} enrolled (${r.enrol_rejected} enrolment photos rejected by the quality gate), ${r.per_person_thresholds} per-person thresholds`);
  console.log(`  queries: ${r.genuine_queries} genuine, ${r.impostor_queries} impostor, ${r.no_face} without a face`);
  console.log(`  policy: accept ≥ ${r.policy.accept}, margin ≥ ${r.policy.margin}, grey zone ≥ ${r.policy.grey}`);
  console.log(`  identified (rank1) ${pct(r.rank1)}  one-tap ${pct(r.one_tap_rate)}  unsure ${pct(r.unsure_rate)}`);
  console.log(`  WRONG identity accepts ${r.wrong_identity_accepts}  IMPOSTOR accepts ${r.impostor_accepts}  impostors sent to staff ${r.impostors_to_staff}`);
  console.log(`  verification: TAR@FAR1e-3 ${pct(r.tar_at_far_1e3)}  EER ${pct(r.eer)}`);
  console.log(`  detect ms p50 ${r.detect_ms.p50} p95 ${r.detect_ms.p95}; face → decision ms p50 ${r.identify_ms.p50} p95 ${r.identify_ms.p95}`);
}
