import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { decodeCsvBytes, parseCsv } from '../delegates/csv.ts';
import { DelegateRepository } from '../delegates/repository.ts';
import { zonedTimeToEpochMs } from '../event/config.ts';
import { decodeImage, imageKind } from '../perception/image-file.ts';
import type { RgbaImage } from '../perception/qr-image.ts';
import { InputError, errorText } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { FaceEngine } from './face-engine.ts';
import { faceFeature } from './face-features.ts';
import { assessFace, type FaceMetrics, type QualityRejection } from './face-quality.ts';
import { FaceGallery, consentMethods, isConsentMethod, type ConsentInput, type Enrolment } from './gallery.ts';
import { ENROL_MIN_EYE_DISTANCE_PX, MAX_CUT_OFF_SHARE, MIN_SHARPNESS } from './identity-policy.ts';

const log = logger('faces/enroll');

/** Photo file extensions enrolment reads (case-insensitive). */
const photoExtensions = ['.jpg', '.jpeg', '.png'];

/** The consent CSV columns, in order. */
export const consentColumns = ['code', 'given_at', 'recorded_by', 'method'] as const;

/** Why a photo was not enrolled. ('too-close' is a live-camera rejection only.) */
export type PhotoRejection = 'not-an-image' | 'damaged' | Exclude<QualityRejection, 'too-close'>;

/** A consent to use: one on record, or one from the consent file to record with the enrolment. */
type PlannedConsent = { readonly id: number } | { readonly record: ConsentInput; readonly line: number };

/** One photo to enrol: its delegate, file and consent. Never processed without a consent. */
export interface PlannedPhoto {
  readonly code: string;
  readonly file: string;
  readonly consent: PlannedConsent;
}

/**
 * What an enrolment run will do, checked against the store before any photo is opened:
 * every photo has a delegate and a consent.
 */
export interface EnrolmentPlan {
  readonly photos: readonly PlannedPhoto[];
  /** Consents from the file that are not on record yet, by code (recorded with the enrolment). */
  readonly newConsents: ReadonlyMap<string, { readonly record: ConsentInput; readonly line: number }>;
  /** Delegates with a photo in the delegates list but no consent: skipped, never processed (--from-delegates). */
  readonly withoutConsent: readonly string[];
  /** Things worth knowing that stop nothing (a consent without a photo). */
  readonly notes: readonly string[];
}

export interface RejectedPhoto {
  readonly code: string;
  readonly file: string;
  readonly reason: PhotoRejection;
  /** One line a person can act on. */
  readonly detail: string;
}

export interface EnrolmentResult {
  readonly enrolled: readonly { readonly code: string; readonly file: string }[];
  readonly rejected: readonly RejectedPhoto[];
  readonly consentsRecorded: number;
  readonly withoutConsent: readonly string[];
  readonly notes: readonly string[];
  /** Delegates in the gallery after the run. */
  readonly galleryCount: number;
}

export interface EnrolmentProgress {
  readonly done: number;
  readonly total: number;
  readonly rejected: number;
}

export interface EnrolDeps {
  readonly db: Database;
  /** The face models (in-process or worker threads). */
  readonly engine: FaceEngine;
  readonly nowMs: number;
  /** Audit actor, e.g. `operator:Lan`. */
  readonly actor: string;
  readonly device: string;
  readonly onProgress?: (p: EnrolmentProgress) => void;
}

export interface PlanOptions {
  /** Consent CSV; default `<photos folder>/consent.csv`. */
  readonly consentFile?: string;
  /** Time zone of a given_at without an offset (the venue's). */
  readonly timeZone: string;
  /** A consent given after this is refused. */
  readonly nowMs: number;
}

/**
 * Plans enrolling the photos of `dir`, each named `<CODE>.jpg|.jpeg|.png` (the code of a
 * delegate; the name's case does not matter). Nothing is opened but the consent file: one
 * InputError when the folder, the consent file or its header is missing, or the folder has no
 * photo; otherwise one InputError listing every problem: bad consent rows (file:line), a
 * consent for an unknown code, a photo naming no delegate, two photos of one delegate, a photo
 * without consent (neither a row in the file nor a current consent on record).
 */
export function planFolder(db: Database, dir: string, options: PlanOptions): EnrolmentPlan {
  const folder = existingFolder(dir);
  const consentFile = resolve(options.consentFile ?? join(folder, 'consent.csv'));
  const { lines, consents, problems, badCodes } = consentsFor(db, consentFile, options);
  const repo = new DelegateRepository(db);

  const photos: PlannedPhoto[] = [];
  const fileOf = new Map<string, string>();
  const names = readdirSync(folder)
    .filter((name) => photoExtensions.includes(extname(name).toLowerCase()) && statSync(join(folder, name)).isFile())
    .sort();
  if (names.length === 0) throw new InputError(`${folder}: no photos (expected <CODE>.jpg, .jpeg or .png files, one per delegate)`);
  for (const name of names) {
    const code = basename(name, extname(name)).trim().toUpperCase();
    const other = fileOf.get(code);
    if (other !== undefined) {
      problems.push(`${name}: a second photo of ${code} (also ${other}); keep one`);
      continue;
    }
    fileOf.set(code, name);
    if (!repo.byCode(code)) {
      problems.push(`${name}: no delegate with code ${code}`);
      continue;
    }
    const consent = consents.get(code);
    if (!consent) {
      if (!badCodes.has(code)) problems.push(`${name}: no consent for ${code} (add a row to ${consentFile})`);
      continue;
    }
    photos.push({ code, file: join(folder, name), consent });
  }
  const notes = lines.filter((l) => !fileOf.has(l.code)).map((l) => `${l.code}: consent in the file, no photo in ${folder}`);
  if (problems.length > 0) throw new InputError(`${folder}: ${problems.length} problem(s), nothing enrolled`, problems);
  return { photos, newConsents: newConsentsOf(consents), withoutConsent: [], notes };
}

/**
 * Plans enrolling from the delegates list: each delegate's `photo` (a file name relative to
 * `photosDir`). Only delegates with a consent (a row in the consent file or one on record)
 * are enrolled; the others are listed in `withoutConsent` and their photos never opened.
 * One InputError listing every problem for a bad consent file or a consented delegate whose
 * photo file is missing.
 */
export function planFromDelegates(db: Database, photosDir: string, options: PlanOptions): EnrolmentPlan {
  const folder = existingFolder(photosDir);
  const consentFile = resolve(options.consentFile ?? join(folder, 'consent.csv'));
  const { consents, problems, badCodes } = consentsFor(db, consentFile, options);
  const photos: PlannedPhoto[] = [];
  const withoutConsent: string[] = [];
  const notes: string[] = [];
  for (const d of new DelegateRepository(db).all()) {
    const consent = consents.get(d.code);
    if (!consent) {
      if (d.photo !== '' && !badCodes.has(d.code)) withoutConsent.push(d.code);
      continue;
    }
    if (d.photo === '') {
      notes.push(`${d.code}: consent on record, no photo in the delegates list`);
      continue;
    }
    const file = resolve(folder, d.photo);
    if (isAbsolute(relative(folder, file)) || relative(folder, file).startsWith('..')) {
      problems.push(`${d.code}: photo ${d.photo}: outside ${folder}`);
    } else if (!existsSync(file)) {
      problems.push(`${d.code}: photo ${d.photo}: no such file in ${folder}`);
    } else {
      photos.push({ code: d.code, file, consent });
    }
  }
  if (problems.length > 0) throw new InputError(`${folder}: ${problems.length} problem(s), nothing enrolled`, problems);
  return { photos, newConsents: newConsentsOf(consents), withoutConsent, notes };
}

/**
 * Enrols the planned photos: each is decoded, checked by the enrolment gate and turned into
 * a feature; the good ones are stored in ONE transaction together with the file's new
 * consents. Rejected photos are listed with a reason. The photo bytes stay in memory only.
 */
export async function enrollPlan(plan: EnrolmentPlan, deps: EnrolDeps): Promise<EnrolmentResult> {
  const accepted: { photo: PlannedPhoto; feature: Float32Array; quality: FaceMetrics }[] = [];
  const rejected: RejectedPhoto[] = [];
  const total = plan.photos.length;
  for (const [i, photo] of plan.photos.entries()) {
    const outcome = await examinePhoto(photo.file, deps);
    if (outcome.ok) accepted.push({ photo, feature: outcome.feature, quality: outcome.metrics });
    else rejected.push({ code: photo.code, file: photo.file, reason: outcome.reason, detail: outcome.detail });
    deps.onProgress?.({ done: i + 1, total, rejected: rejected.length });
  }

  const gallery = new FaceGallery(deps.db, { now: () => deps.nowMs, device: deps.device });
  let consentsRecorded = 0;
  deps.db
    .transaction(() => {
      const consentIds = new Map<string, number>();
      for (const [code, { record }] of plan.newConsents) {
        consentIds.set(code, gallery.recordConsent(record));
        consentsRecorded++;
      }
      const enrolments: Enrolment[] = accepted.map(({ photo, feature, quality }) => ({
        code: photo.code,
        feature,
        quality,
        consentId: 'id' in photo.consent ? photo.consent.id : consentIds.get(photo.code)!,
        atMs: deps.nowMs,
        actor: deps.actor,
        device: deps.device,
      }));
      gallery.enrollMany(enrolments);
    })
    .immediate();
  log.info({ enrolled: accepted.length, rejected: rejected.length, consentsRecorded }, 'faces enrolled');
  return {
    enrolled: accepted.map(({ photo }) => ({ code: photo.code, file: photo.file })),
    rejected,
    consentsRecorded,
    withoutConsent: plan.withoutConsent,
    notes: plan.notes,
    galleryCount: gallery.count(),
  };
}

type PhotoOutcome = { ok: true; feature: Float32Array; metrics: FaceMetrics } | { ok: false; reason: PhotoRejection; detail: string };

async function examinePhoto(file: string, deps: EnrolDeps): Promise<PhotoOutcome> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err: unknown) {
    return { ok: false, reason: 'damaged', detail: `cannot read (${errorText(err)})` };
  }
  if (imageKind(bytes) === undefined) return { ok: false, reason: 'not-an-image', detail: rejectionText('not-an-image', undefined) };
  let image: RgbaImage;
  try {
    image = decodeImage(bytes, basename(file));
  } catch (err: unknown) {
    if (!(err instanceof InputError)) throw err;
    return { ok: false, reason: 'damaged', detail: err.message.replace(`${basename(file)}: `, '') };
  }
  const quality = assessFace(image, await deps.engine.detect(image), 'enrol');
  if (!quality.ok) {
    // 'too-close' is never returned for 'enrol'.
    const reason = quality.reason === 'too-close' ? 'too-small' : quality.reason;
    return { ok: false, reason, detail: rejectionText(reason, quality.metrics) };
  }
  return { ok: true, feature: await faceFeature(deps.engine, image, quality.face), metrics: quality.metrics };
}

/** What to tell the photographer about a rejected photo. */
export function rejectionText(reason: PhotoRejection, m: FaceMetrics | undefined): string {
  switch (reason) {
    case 'not-an-image':
      return 'not an image (expected a PNG or JPEG file)';
    case 'damaged':
      return 'the image file is damaged';
    case 'no-face':
      return 'no face found';
    case 'several-faces':
      return 'more than one face: crop the photo to the delegate alone';
    case 'too-small':
      return `face too small: ${fmt(m?.eyeDistancePx, 0)} px between the eyes, needs ${ENROL_MIN_EYE_DISTANCE_PX}`;
    case 'cut-off':
      return `face cut off by the edge of the photo (${fmt((m?.cutOffShare ?? 0) * 100, 0)} % outside, at most ${MAX_CUT_OFF_SHARE * 100} %)`;
    case 'turned-away':
      return 'face turned away: retake looking straight at the camera';
    case 'blurred':
      return `blurred (sharpness ${fmt(m?.sharpness, 3)}, needs ${MIN_SHARPNESS})`;
    default: {
      const never: never = reason;
      return never;
    }
  }
}

function fmt(n: number | undefined, digits: number): string {
  return n === undefined ? '?' : n.toFixed(digits);
}

function existingFolder(dir: string): string {
  const folder = resolve(dir);
  if (!existsSync(folder)) throw new InputError(`${folder}: folder not found`);
  if (!statSync(folder).isDirectory()) throw new InputError(`${folder}: not a folder (expected a folder of photos)`);
  return folder;
}

/** One consent row of the consent CSV. */
export interface ConsentLine extends ConsentInput {
  readonly line: number;
}

/**
 * Reads a consent CSV (UTF-8; header code,given_at,recorded_by,method). given_at is an ISO
 * date or date-time (`2025-11-20T08:30`, seconds and an offset optional; without an offset it
 * is the venue's `timeZone`). One InputError for a missing or unreadable file or a bad
 * header; one listing every bad row otherwise.
 */
export function readConsentCsv(file: string, timeZone: string, nowMs: number): ConsentLine[] {
  const { path, lines, problems } = parseConsentCsv(file, timeZone, nowMs);
  if (problems.length > 0) throw new InputError(`${path}: ${problems.length} problem(s), nothing enrolled`, problems.map((p) => `line ${p.line}: ${p.text}`));
  return lines;
}

interface ParsedConsents {
  readonly path: string;
  /** The good rows. */
  readonly lines: ConsentLine[];
  readonly problems: { readonly line: number; readonly text: string }[];
  /** Codes named on a bad row (their photos are not reported as lacking a consent too). */
  readonly badCodes: Set<string>;
}

/** readConsentCsv without throwing for bad rows. */
function parseConsentCsv(file: string, timeZone: string, nowMs: number): ParsedConsents {
  const path = resolve(file);
  if (!existsSync(path)) throw new InputError(`${path}: consent file not found (expected a CSV with ${consentColumns.join(',')})`);
  const table = parseCsv(decodeCsvBytes(readFileSync(path), path), path);
  const [header, ...rows] = table.records;
  if (!header) throw new InputError(`${path}: empty file (expected a header row: ${consentColumns.join(',')})`);
  const index = new Map<string, number>(header.fields.map((f, i) => [f.trim().toLowerCase(), i]));
  const missing = consentColumns.filter((c) => !index.has(c));
  if (missing.length > 0) throw new InputError(`${path}:${header.line}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected ${consentColumns.join(',')})`);

  const problems: { line: number; text: string }[] = [];
  const badCodes = new Set<string>();
  const lines: ConsentLine[] = [];
  const codeLines = new Map<string, number>();
  for (const { line, fields } of rows) {
    const get = (c: (typeof consentColumns)[number]): string => fields[index.get(c)!]?.trim() ?? '';
    const before = problems.length;
    const problem = (text: string): void => void problems.push({ line, text });
    const code = get('code').toUpperCase();
    if (code === '') problem('code: empty');
    else if (codeLines.has(code)) problem(`code ${code}: also on line ${codeLines.get(code)}`);
    else codeLines.set(code, line);
    const givenAt = get('given_at');
    const givenAtMs = parseGivenAt(givenAt, timeZone);
    if (givenAtMs === undefined) problem(`given_at ${givenAt || '(empty)'}: expected an ISO date-time such as 2025-11-20T08:30 (venue time) or 2025-11-20T08:30+07:00`);
    else if (givenAtMs > nowMs) problem(`given_at ${givenAt}: in the future`);
    const recordedBy = get('recorded_by');
    if (recordedBy === '') problem('recorded_by: empty (who took the consent?)');
    const method = get('method').toLowerCase();
    if (!isConsentMethod(method)) problem(`method ${method || '(empty)'}: expected one of ${consentMethods.join(', ')}`);
    if (problems.length > before) {
      if (code !== '') badCodes.add(code);
    } else if (givenAtMs !== undefined && isConsentMethod(method)) {
      lines.push({ line, code, givenAtMs, recordedBy, method });
    }
  }
  return { path, lines, problems, badCodes };
}

/** The consent file's rows resolved against the store, with every problem as `file:line: text`. */
function consentsFor(db: Database, file: string, options: PlanOptions): { lines: ConsentLine[]; consents: Map<string, PlannedConsent>; problems: string[]; badCodes: Set<string> } {
  const parsed = parseConsentCsv(file, options.timeZone, options.nowMs);
  const problems = parsed.problems.map((p) => `${parsed.path}:${p.line}: ${p.text}`);
  const consents = resolveConsents(db, parsed.path, parsed.lines, problems);
  return { lines: parsed.lines, consents, problems, badCodes: parsed.badCodes };
}

const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch ms of an ISO date or date-time, or undefined when it is not one (or names a day that does not exist). */
function parseGivenAt(text: string, timeZone: string): number | undefined {
  const m = isoDateTime.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = m[8];
  if (zone === undefined) return zonedTimeToEpochMs({ year, month, day, hour, minute, second, ms }, timeZone);
  const offsetMin = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

/**
 * The consent each code of the file stands for: the matching consent on record (same time,
 * recorder and method: running the same file twice records nothing new), else a new one.
 * A code's current consent on record counts when the file has no row for it. Problems: an
 * unknown code, or a row matching a consent that was withdrawn.
 */
function resolveConsents(db: Database, file: string, lines: readonly ConsentLine[], problems: string[]): Map<string, PlannedConsent> {
  const gallery = new FaceGallery(db);
  const repo = new DelegateRepository(db);
  const out = new Map<string, PlannedConsent>();
  for (const l of lines) {
    if (!repo.byCode(l.code)) {
      problems.push(`${file}:${l.line}: code ${l.code}: not a delegate of this event`);
      continue;
    }
    const same = gallery.consents(l.code).find((c) => c.givenAtMs === l.givenAtMs && c.recordedBy === l.recordedBy.trim() && c.method === l.method);
    if (same?.withdrawnAtMs != null) {
      problems.push(`${file}:${l.line}: ${l.code}: this consent was withdrawn on ${new Date(same.withdrawnAtMs).toISOString()}; a new consent needs its own given_at`);
      continue;
    }
    const { line, ...record } = l;
    out.set(l.code, same ? { id: same.id } : { record, line });
  }
  for (const c of gallery.consents()) {
    if (c.withdrawnAtMs === null && !out.has(c.code) && !lines.some((l) => l.code === c.code)) {
      const current = gallery.currentConsent(c.code);
      if (current) out.set(c.code, { id: current.id });
    }
  }
  return out;
}

/** The file's consents not on record yet: recorded with the enrolment (whether or not their photo passes). */
function newConsentsOf(consents: ReadonlyMap<string, PlannedConsent>): Map<string, { record: ConsentInput; line: number }> {
  const out = new Map<string, { record: ConsentInput; line: number }>();
  for (const [code, c] of consents) if ('record' in c) out.set(code, c);
  return out;
}
