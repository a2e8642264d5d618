import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { loadEventConfig, type EventConfig } from '../../event/config.ts';
import { auditGallery, type GalleryAudit } from '../../faces/audit.ts';
import { WorkerFaceEngine } from '../../faces/worker-face-engine.ts';
import { enrollPlan, planFolder, planFromDelegates, type EnrolmentProgress, type EnrolmentResult } from '../../faces/enroll.ts';
import { FaceGallery } from '../../faces/gallery.ts';
import { withdrawFaceConsent } from '../../faces/purge.ts';
import { checkRetention } from '../../faces/retention.ts';
import { parseCommandArgs } from '../../shared/args.ts';
import { systemClock } from '../../shared/clock.ts';
import { InputError } from '../../shared/errors.ts';
import { openStore, type Store } from '../../store/sqlite-store.ts';

/** Longest list the audit report prints. */
const LIST_LINES = 40;

/** Exit code when some photos were rejected (the others are enrolled). */
const SOME_REJECTED = 3;

const help = `usage:
  letan faces enroll DIR [--consent FILE] [--event FILE] [--store PATH] [--operator NAME] [--json]
  letan faces enroll --from-delegates --photos DIR [--consent FILE] [--event FILE] [--store PATH] [--operator NAME] [--json]
  letan faces audit [--event FILE] [--store PATH] [--operator NAME] [--json]
  letan faces withdraw CODE [--event FILE] [--store PATH] [--operator NAME]

enroll  computes one face feature per delegate from a photo and stores it (never the photo).
        DIR holds <CODE>.jpg|.jpeg|.png, one per delegate; --from-delegates takes each
        delegate's photo column instead (file names relative to --photos DIR).
        The consent file (default DIR/consent.csv) has the header
        code,given_at,recorded_by,method with given_at an ISO date-time (venue time unless it
        has an offset) and method one of signed-form, registration-form, kiosk,
        verbal-witnessed. Only delegates with a consent are enrolled.
        Exit 0: every photo enrolled. Exit 3: some photos rejected (listed with the reason;
        the others are enrolled). Exit 2: bad input (a missing folder, a bad consent file, a
        photo of an unknown code or without consent: nothing enrolled).
audit   compares every enrolled pair, lists look-alikes and photos worth retaking, and
        raises the acceptance score of each look-alike (stored for face check-in).
withdraw  a delegate withdraws consent: their face feature is deleted (and scrubbed from the
        file); the consent record stays, marked withdrawn. Face check-in no longer knows them.`;

/** `letan faces enroll|audit ...` (see `help`). */
export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'enroll':
      return enroll(rest);
    case 'audit':
      return Promise.resolve(audit(rest));
    case 'withdraw':
      return Promise.resolve(withdraw(rest));
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(help);
      return sub === undefined ? 2 : 0;
    default:
      throw new InputError(`unknown subcommand '${sub}': expected enroll, audit or withdraw (see letan faces --help)`);
  }
}

async function enroll(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('faces', args, {
    consent: { type: 'string' },
    'from-delegates': { type: 'boolean', default: false },
    photos: { type: 'string' },
    event: { type: 'string' },
    store: { type: 'string' },
    operator: { type: 'string', default: 'staff' },
    json: { type: 'boolean', default: false },
  });
  const fromDelegates = values['from-delegates'];
  if (fromDelegates && (positionals.length > 0 || values.photos === undefined)) {
    throw new InputError('--from-delegates takes the photo folder as --photos DIR (and no other argument)');
  }
  if (!fromDelegates && (positionals.length !== 1 || values.photos !== undefined)) {
    throw new InputError('expected one photo folder: letan faces enroll DIR (or --from-delegates --photos DIR)');
  }
  const config = loadEventConfig(values.event);
  const nowMs = systemClock.now();
  const retention = checkRetention(config, nowMs);
  if (!retention.ok) throw new InputError(retention.message);

  const store = openExistingStore(config, values.store);
  try {
    const planOptions = { timeZone: config.timeZone, nowMs, ...(values.consent !== undefined ? { consentFile: values.consent } : {}) };
    // Checked before the models load: structural problems come back at once.
    const plan = fromDelegates ? planFromDelegates(store.db, values.photos!, planOptions) : planFolder(store.db, positionals[0]!, planOptions);
    // Worker threads: one photo's crops are embedded on both cores at once.
    const engine = await WorkerFaceEngine.start();
    const progress = progressReporter();
    let result: EnrolmentResult;
    try {
      result = await enrollPlan(plan, { db: store.db, engine, nowMs, actor: `operator:${values.operator}`, device: config.device, onProgress: progress.update });
    } finally {
      progress.done();
      await engine.close();
    }
    if (values.json) console.log(JSON.stringify({ store: store.path, ...result }, null, 2));
    else printEnrolment(result, store.path);
    return result.rejected.length > 0 ? SOME_REJECTED : 0;
  } finally {
    store.close();
  }
}

function audit(args: string[]): number {
  const { values } = parseCommandArgs(
    'faces',
    args,
    { event: { type: 'string' }, store: { type: 'string' }, operator: { type: 'string', default: 'staff' }, json: { type: 'boolean', default: false } },
    false,
  );
  const config = loadEventConfig(values.event);
  const store = openExistingStore(config, values.store);
  try {
    const report = auditGallery(new FaceGallery(store.db, { device: config.device }), `operator:${values.operator}`);
    if (values.json) console.log(JSON.stringify({ store: store.path, ...report }, null, 2));
    else printAudit(report, store.path);
  } finally {
    store.close();
  }
  return 0;
}

function withdraw(args: string[]): number {
  const { values, positionals } = parseCommandArgs('faces', args, { event: { type: 'string' }, store: { type: 'string' }, operator: { type: 'string', default: 'staff' } });
  const [code, ...extra] = positionals;
  if (code === undefined || extra.length > 0) throw new InputError('withdraw: expected exactly one delegate code (letan faces withdraw CODE)');
  const config = loadEventConfig(values.event);
  const store = openExistingStore(config, values.store);
  try {
    withdrawFaceConsent(store, code, { nowMs: systemClock.now(), actor: `operator:${values.operator}`, device: config.device });
  } finally {
    store.close();
  }
  console.log(`${code}: consent withdrawn; face data deleted from ${store.path}`);
  return 0;
}

function openExistingStore(config: EventConfig, storeFlag: string | undefined): Store {
  const path = storeFlag ?? config.storePath;
  // Opening a missing store would create an empty one.
  if (!existsSync(path)) throw new InputError(`no store at ${path}: import the delegates first (letan import FILE.csv)`);
  return openStore(path, { busyTimeoutMs: 5_000 });
}

function printEnrolment(r: EnrolmentResult, storePath: string): void {
  const photos = r.enrolled.length + r.rejected.length;
  console.log(`enrolled ${r.enrolled.length} of ${photos} photo${photos === 1 ? '' : 's'} into ${storePath}; ${r.galleryCount} face${r.galleryCount === 1 ? '' : 's'} in the gallery`);
  if (r.consentsRecorded > 0) console.log(`recorded ${r.consentsRecorded} consent${r.consentsRecorded === 1 ? '' : 's'}`);
  if (r.withoutConsent.length > 0) console.log(`not enrolled, no consent on file: ${r.withoutConsent.length} (${abbreviate(r.withoutConsent)})`);
  for (const note of r.notes) console.log(`note: ${note}`);
  if (r.rejected.length > 0) {
    console.log(`${r.rejected.length} photo${r.rejected.length === 1 ? '' : 's'} rejected (retake and enrol again; the others are enrolled):`);
    const width = Math.max(...r.rejected.map((x) => basename(x.file).length));
    for (const x of r.rejected) console.log(`  ${basename(x.file).padEnd(width)}  ${x.reason}: ${x.detail}`);
  }
}

function printAudit(a: GalleryAudit, storePath: string): void {
  console.log(`face gallery of ${storePath}: ${a.enrolled} delegate${a.enrolled === 1 ? '' : 's'} enrolled, ${a.pairs} pairs compared`);
  if (a.scores) console.log(`pair scores: median ${a.scores.median.toFixed(3)}, 99th percentile ${a.scores.p99.toFixed(3)}, highest ${a.scores.max.toFixed(3)}`);
  if (a.lookalikes.length === 0) {
    console.log(`look-alikes (score ≥ ${a.lookalikeScore}): none`);
  } else {
    console.log(`look-alikes (score ≥ ${a.lookalikeScore}): ${a.lookalikes.length} pair${a.lookalikes.length === 1 ? '' : 's'}`);
    printSome(a.lookalikes.map((p) => `  ${p.a} ~ ${p.b}  ${p.score.toFixed(3)}`));
    console.log(`raised acceptance scores (stored for face check-in): ${a.thresholds.length}`);
    printSome(a.thresholds.map((t) => `  ${t.code}  ≥ ${t.minScore.toFixed(3)}  ${t.reason}`));
  }
  if (a.retakes.length === 0) {
    console.log('photos to retake: none');
  } else {
    console.log(`photos to retake (close to the enrolment limits): ${a.retakes.length}`);
    printSome(a.retakes.map((r) => `  ${r.code}  ${r.reasons.join('; ')}`));
  }
}

/** At most LIST_LINES lines of a long list (--json has them all). */
function printSome(lines: readonly string[]): void {
  for (const line of lines.slice(0, LIST_LINES)) console.log(line);
  if (lines.length > LIST_LINES) console.log(`  … ${lines.length - LIST_LINES} more (--json lists all)`);
}

function abbreviate(codes: readonly string[]): string {
  return codes.length <= 8 ? codes.join(', ') : `${codes.slice(0, 8).join(', ')}, …`;
}

/** A progress bar on a terminal (stderr), a plain line every 10 % otherwise. */
function progressReporter(): { update: (p: EnrolmentProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let drawn = false;
  return {
    update: (p) => {
      const text = `enrolling ${p.done}/${p.total}`;
      const tail = p.rejected > 0 ? ` ${p.rejected} rejected` : '';
      if (tty) {
        process.stderr.write(`\r${text} ${bar(p.done / p.total, 20)}${tail}\x1b[K`);
        drawn = true;
        return;
      }
      const decile = Math.floor((10 * p.done) / p.total);
      if (decile !== lastDecile) {
        lastDecile = decile;
        process.stderr.write(`${text}${tail}\n`);
      }
    },
    done: () => {
      if (drawn) process.stderr.write('\n');
    },
  };
}

function bar(share: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, share)) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}
