import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Venue } from '../venue/types.ts';
import { delegateColumns } from './import.ts';
import { delegationOrder, genderFor, leaderRoles, memberRoles, type Role } from './demo-roles.ts';
import { seededRandom } from './random.ts';
import type { Delegate } from './types.ts';
import { vietnameseName } from './vietnamese-names.ts';

/** Seat ids front to back: rows in the venue's order (front first), seats by number within a row. */
export function seatsFrontToBack(venue: Pick<Venue, 'rows'>): string[] {
  return venue.rows.flatMap((row) => [...row.seats].sort((a, b) => a.number - b.number).map((s) => s.id));
}

/** Seats at either end of their row (`C-1` and `C-24` of row C), from `C-14`-style ids. */
function aisleSeats(seatIds: readonly string[]): Set<string> {
  const ends = new Map<string, { min: [number, string]; max: [number, string] }>();
  for (const id of seatIds) {
    const m = /^(.*?)-?(\d+)$/.exec(id);
    if (!m) continue;
    const [row, n] = [m[1]!, Number(m[2])];
    const e = ends.get(row);
    if (!e) ends.set(row, { min: [n, id], max: [n, id] });
    else {
      if (n < e.min[0]) e.min = [n, id];
      if (n > e.max[0]) e.max = [n, id];
    }
  }
  return new Set([...ends.values()].flatMap((e) => [e.min[1], e.max[1]]));
}

/**
 * The demo event's delegates: deterministic for a given (seatIds, count, seed).
 * Leaders sit in front, then delegations in blocks; seats fill `seatIds` in order
 * (pass them front to back, e.g. from seatsFrontToBack); codes D-0001… follow the seats.
 * About 3 % prefer English; about 1 % need a wheelchair and sit on aisle seats.
 */
export function demoDelegates(seatIds: readonly string[], count = 449, seed = 2025): Delegate[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  if (count > 9999) throw new RangeError(`count ${count}: codes D-0001… allow at most 9999 delegates`);
  if (count > seatIds.length) throw new RangeError(`count ${count}: the venue has only ${seatIds.length} seats`);
  const random = seededRandom(seed);

  const leaders = leaderRoles.slice(0, count);
  const members = memberRoles(count - leaders.length, random).sort(
    (a, b) => delegationOrder.indexOf(a.delegation) - delegationOrder.indexOf(b.delegation),
  );
  const roles: Role[] = [...leaders, ...members];

  const names = new Set<string>();
  const people = roles.map((role) => {
    const gender = genderFor(role, random);
    let name = vietnameseName(random, gender);
    // Same full name twice would make demos ambiguous; real lists disambiguate by title.
    while (names.has(name)) name = vietnameseName(random, gender);
    names.add(name);
    return { role, name };
  });

  const seats = seatIds.slice(0, count);
  const used = new Set(seats);
  const aisles = [...aisleSeats(seatIds)].filter((id) => used.has(id));
  const wheelchair = new Set<string>();
  const wheelchairCount = Math.min(aisles.length, Math.max(1, Math.round(count / 100)));
  while (wheelchair.size < wheelchairCount) wheelchair.add(random.pick(aisles));
  const english = new Set<number>();
  const englishCount = Math.round(count * 0.03);
  while (english.size < englishCount) english.add(random.int(count));

  return people.map(({ role, name }, i) => ({
    code: `D-${String(i + 1).padStart(4, '0')}`,
    fullName: name,
    title: role.title,
    delegation: role.delegation,
    seat: seats[i]!,
    photo: '',
    language: english.has(i) ? 'en' : 'vi',
    needs: wheelchair.has(seats[i]!) ? ['wheelchair'] : [],
  }));
}

function csvField(value: string): string {
  return /[",;\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The delegates CSV letan reads (UTF-8 with BOM so Excel shows the diacritics, CRLF per RFC 4180). */
export function delegatesCsv(delegates: readonly Delegate[]): string {
  const lines = [delegateColumns.join(',')];
  for (const d of delegates) {
    lines.push([d.code, d.fullName, d.title, d.delegation, d.seat, d.photo, d.language, d.needs.join(';')].map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Writes the CSV atomically: a temp file beside `path`, then rename. */
export function writeDelegatesCsv(path: string, delegates: readonly Delegate[]): void {
  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, delegatesCsv(delegates), { encoding: 'utf8', flush: true });
    renameSync(tmp, abs);
  } catch (err: unknown) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
