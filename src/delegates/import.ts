import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Store } from '../store/sqlite-store.ts';
import { writeAudit } from '../store/audit.ts';
import { setMeta } from '../store/meta.ts';
import { InputError } from '../shared/errors.ts';
import { logger } from '../shared/logger.ts';
import type { Venue } from '../venue/types.ts';
import { decodeCsvBytes, parseCsv } from './csv.ts';
import { DelegateRepository } from './repository.ts';
import type { Delegate } from './types.ts';

const log = logger('delegates/import');

/** The delegates CSV columns (DESIGN.md, Data), in the order letan writes them. */
export const delegateColumns = ['code', 'full_name', 'title', 'delegation', 'seat', 'photo', 'language', 'needs'] as const;
export type DelegateColumn = (typeof delegateColumns)[number];
const requiredColumns: readonly DelegateColumn[] = ['code', 'full_name', 'seat'];

/** QR alphanumeric alphabet, so the code fits the badge token (DESIGN.md, Badge QR). */
const codePattern = /^[A-Z0-9-]{1,20}$/;

/** What the import needs of a venue: its id (for messages) and its seats. */
export type VenueSeats = Pick<Venue, 'id' | 'seat'>;

export interface ImportOptions {
  readonly venue: VenueSeats;
  readonly store: Store;
  /** For the audit log; defaults to the system time. */
  readonly nowMs?: number;
}

/**
 * Reads, validates and parses a delegates CSV (UTF-8) without touching any store.
 * Every bad row is collected: one InputError `'<file>: N bad rows, nothing imported'`
 * whose `problems` name each line. File-level faults (not UTF-8, missing column, XLSX)
 * are one InputError naming the file and line.
 */
export function readDelegatesCsv(file: string, venue: VenueSeats): Delegate[] {
  const path = resolve(file);
  if (!existsSync(path)) throw new InputError(`${path}: file not found`);
  const bytes = readFileSync(path);
  const isZip = bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304;
  if (['.xlsx', '.xls', '.ods'].includes(extname(path).toLowerCase()) || isZip) {
    throw new InputError(`${path}: spreadsheet files are not read yet — in Excel choose File › Save As › "CSV UTF-8 (Comma delimited) (*.csv)" and import that`);
  }
  const table = parseCsv(decodeCsvBytes(bytes, path), path);
  const [header, ...rows] = table.records;
  if (!header) throw new InputError(`${path}: empty file (expected a header row: ${delegateColumns.join(', ')})`);

  const index = new Map<DelegateColumn, number>();
  const seenHeader = new Map<string, number>();
  header.fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return;
    const other = seenHeader.get(name);
    if (other !== undefined) throw new InputError(`${path}:${header.line}: column ${name} appears twice (columns ${other + 1} and ${i + 1})`);
    seenHeader.set(name, i);
    if ((delegateColumns as readonly string[]).includes(name)) index.set(name as DelegateColumn, i);
    else log.warn({ file: path, column: raw }, 'unknown column ignored');
  });
  const missing = requiredColumns.filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new InputError(`${path}:${header.line}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected a header row with ${delegateColumns.join(', ')})`);
  }

  const problems: string[] = [];
  const badLines = new Set<number>();
  const problem = (line: number, text: string): void => {
    problems.push(`line ${line}: ${text}`);
    badLines.add(line);
  };
  const codeLines = new Map<string, number>();
  const seatLines = new Map<string, number>();
  const delegates: Delegate[] = [];

  for (const { line, fields } of rows) {
    if (fields.length !== header.fields.length) {
      problem(line, `expected ${header.fields.length} fields like the header, found ${fields.length} (a comma inside a value needs "quotes")`);
      continue;
    }
    const get = (c: DelegateColumn): string => {
      const i = index.get(c);
      return i === undefined ? '' : fields[i]!.trim();
    };

    const code = get('code').toUpperCase();
    if (code === '') problem(line, 'code: empty');
    else if (!codePattern.test(code)) problem(line, `code ${code}: expected 1–20 of A–Z, 0–9, -`);
    else if (codeLines.has(code)) problem(line, `code ${code}: also on line ${codeLines.get(code)}`);
    else codeLines.set(code, line);

    const fullName = get('full_name').replace(/\s+/g, ' ');
    if (fullName === '') problem(line, 'full_name: empty');

    const seat = get('seat').toUpperCase();
    if (seat === '') problem(line, `seat: empty (expected a seat of venue ${venue.id})`);
    else if (!venue.seat(seat)) problem(line, `seat ${seat}: not a seat of venue ${venue.id}`);
    else if (seatLines.has(seat)) problem(line, `seat ${seat}: also given on line ${seatLines.get(seat)}`);
    else seatLines.set(seat, line);

    const language = get('language').toLowerCase() || 'vi';
    if (language !== 'vi' && language !== 'en') problem(line, `language ${language}: expected vi or en (empty means vi)`);

    const needs = [...new Set(get('needs').split(';').map((n) => n.trim().toLowerCase()).filter((n) => n !== ''))];

    if (badLines.has(line)) continue;
    delegates.push({
      code,
      fullName,
      title: get('title').replace(/\s+/g, ' '),
      delegation: get('delegation').replace(/\s+/g, ' '),
      seat,
      photo: get('photo'),
      language: language === 'en' ? 'en' : 'vi',
      needs,
    });
  }
  if (problems.length > 0) {
    throw new InputError(`${path}: ${badLines.size} bad row${badLines.size > 1 ? 's' : ''}, nothing imported`, problems);
  }
  return delegates;
}

/**
 * Imports a delegates CSV into `store`, replacing the delegate list in one transaction.
 * Any bad row, dropping a delegate already on the check-in record, or giving a code with
 * check-ins or a revoked badge to a different full_name: InputError, store untouched.
 */
export function importDelegates(file: string, options: ImportOptions): { imported: number } {
  return storeDelegates(readDelegatesCsv(file, options.venue), file, options);
}

/**
 * Replaces the store's delegate list with `delegates`, already read from `file` by
 * readDelegatesCsv (so a caller can validate the file before it opens or creates a store).
 * Refusals as importDelegates (DelegateRepository.replaceAll): InputError, store untouched.
 */
export function storeDelegates(delegates: readonly Delegate[], file: string, { venue, store, nowMs = Date.now() }: ImportOptions): { imported: number } {
  const repo = new DelegateRepository(store.db);
  store.db
    .transaction(() => {
      const before = repo.count();
      repo.replaceAll(delegates);
      setMeta(store.db, 'venue', venue.id);
      setMeta(store.db, 'delegates_file', resolve(file));
      writeAudit(store.db, {
        atMs: nowMs,
        actor: 'import',
        device: 'cli',
        action: 'delegates.import',
        detail: { file: resolve(file), before, after: delegates.length },
      });
    })
    .immediate();
  log.info({ file: resolve(file), imported: delegates.length, store: store.path }, 'delegates imported');
  return { imported: delegates.length };
}
