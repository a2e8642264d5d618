import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../attendance/ledger.ts';
import { scaledClock } from '../shared/clock.ts';
import { repoRoot } from '../shared/paths.ts';
import { readAudit } from '../store/audit.ts';
import { getMeta } from '../store/meta.ts';
import { openStore, type Store } from '../store/sqlite-store.ts';
import { smallVenue } from '../../tests/fixtures/delegates/small-venue.ts';
import { importDelegates } from './import.ts';
import { DelegateRepository } from './repository.ts';
import { inputErrorOf } from '../shared/test-support.ts';

const fixtures = resolve(repoRoot, 'tests/fixtures/delegates');
const fixture = (name: string): string => join(fixtures, name);
const venue = smallVenue();

describe('importDelegates (real SQLite file)', () => {
  let dir: string;
  let store: Store;
  let repo: DelegateRepository;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'letan-import-'));
    store = openStore(join(dir, 'letan.sqlite'));
    repo = new DelegateRepository(store.db);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a good UTF-8 file with diacritics, normalising codes, seats, spaces, language and needs', () => {
    expect(importDelegates(fixture('good.csv'), { venue, store })).toEqual({ imported: 3 });
    expect(repo.count()).toBe(3);
    expect(repo.byCode('D-0001')).toEqual({
      code: 'D-0001',
      fullName: 'Võ Thị Ngọc Thủy',
      title: 'Bí thư Đảng ủy phường',
      delegation: 'Đoàn đại biểu Đảng bộ Khối Dân chính Đảng',
      seat: 'A-1',
      photo: '',
      language: 'vi',
      needs: [],
    });
    expect(repo.byCode('D-0002')).toMatchObject({ fullName: 'Nguyễn Văn Hùng', title: 'Phó Bí thư Đảng ủy, Chủ tịch UBND phường', seat: 'A-2', photo: 'hung.jpg', language: 'vi' });
    expect(repo.byCode('D-0003')).toMatchObject({ language: 'en', needs: ['wheelchair', 'hearing'], seat: 'B-10' });
    expect(repo.all().map((d) => d.code)).toEqual(['D-0001', 'D-0002', 'D-0003']);
    expect(getMeta(store.db, 'venue')).toBe('test-hall');
    expect(readAudit(store.db, 1)[0]).toMatchObject({ action: 'delegates.import', detail: { before: 0, after: 3 } });
  });

  it('stores a decomposed (NFD) name as NFC and reads it back byte-identical', () => {
    const name = 'Võ Thị Ngọc Thủy';
    const file = join(dir, 'nfd.csv');
    writeFileSync(file, `code,full_name,seat\nD-1,${name.normalize('NFD')},A-1\n`, 'utf8');
    importDelegates(file, { venue, store });
    const stored = repo.byCode('D-1')!.fullName;
    expect(stored).toBe(name.normalize('NFC'));
    expect(Buffer.from(stored, 'utf8')).toEqual(Buffer.from(name.normalize('NFC'), 'utf8'));
  });

  it('accepts a BOM, CRLF line ends, columns in any order and any case', () => {
    expect(importDelegates(fixture('bom-crlf.csv'), { venue, store })).toEqual({ imported: 2 });
    expect(repo.byCode('D-0001')).toMatchObject({ fullName: 'Hồ Quốc Bảo', seat: 'C-1', title: '', delegation: '' });
    expect(repo.byCode('D-0002')).toMatchObject({ fullName: 'Lý Thị Mai', seat: 'C-10', language: 'en', needs: ['wheelchair'] });
  });

  it('lists every bad row of a file in one error and leaves the store untouched', () => {
    importDelegates(fixture('good.csv'), { venue, store });
    const before = repo.all();
    const err = inputErrorOf(() => importDelegates(fixture('bad-rows.csv'), { venue, store }));
    expect(err.message).toBe(`${fixture('bad-rows.csv')}: 8 bad rows, nothing imported`);
    expect(err.problems).toEqual([
      'line 3: code: empty',
      'line 4: code D 04!: expected 1–20 of A–Z, 0–9, -',
      'line 5: code D-0001: also on line 2',
      'line 6: full_name: empty',
      'line 7: seat Z-99: not a seat of venue test-hall',
      'line 8: seat A-1: also given on line 2',
      'line 9: language fr: expected vi or en (empty means vi)',
      'line 10: expected 8 fields like the header, found 7 (a comma inside a value needs "quotes")',
    ]);
    expect(repo.count()).toBe(before.length);
    expect(repo.all()).toEqual(before);
  });

  it('names the line of the first byte that is not UTF-8 (a Windows-1258 file) and imports nothing', () => {
    const err = inputErrorOf(() => importDelegates(fixture('windows-1258.csv'), { venue, store }));
    expect(err.message).toBe(`${fixture('windows-1258.csv')}:3: not UTF-8 — save the file as CSV UTF-8 (2 lines affected)`);
    expect(repo.count()).toBe(0);
  });

  it('rejects a file missing required columns, naming them', () => {
    const err = inputErrorOf(() => importDelegates(fixture('missing-column.csv'), { venue, store }));
    expect(err.message).toMatch(/missing-column\.csv:1: missing columns full_name, seat \(expected a header row with code, full_name/);
    expect(repo.count()).toBe(0);
  });

  it('refuses XLSX and missing files with a clear message', () => {
    const xlsx = join(dir, 'list.xlsx');
    writeFileSync(xlsx, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    expect(inputErrorOf(() => importDelegates(xlsx, { venue, store })).message).toMatch(/list\.xlsx: spreadsheet files are not read yet — .*CSV UTF-8/);
    expect(inputErrorOf(() => importDelegates(join(dir, 'nope.csv'), { venue, store })).message).toMatch(/nope\.csv: file not found/);
  });

  it('replaces the list on re-import, but refuses to drop a delegate who is checked in', () => {
    importDelegates(fixture('good.csv'), { venue, store });
    const ledger = new Ledger(store.db, scaledClock(1, 1_750_000_000_000));
    expect(ledger.checkIn({ id: 'c1', code: 'D-0001', source: 'badge', device: 'robot-1', gate: 'A' }).status).toBe('checked-in');

    // A list without D-0001: refused, nothing changes.
    const smaller = join(dir, 'smaller.csv');
    writeFileSync(smaller, 'code,full_name,seat\nD-0002,Nguyễn Văn Hùng,A-3\n', 'utf8');
    const err = inputErrorOf(() => importDelegates(smaller, { venue, store }));
    expect(err.message).toMatch(/drops 1 delegate\(s\) already on the check-in record/);
    expect(err.problems).toEqual(['D-0001: checked in now']);
    expect(repo.count()).toBe(3);
    expect(repo.byCode('D-0002')!.seat).toBe('A-2');

    // Seats may move and delegates without check-ins may go; the check-in survives.
    const moved = join(dir, 'moved.csv');
    writeFileSync(moved, 'code,full_name,seat\nD-0001,Võ Thị Ngọc Thủy,A-2\nD-0002,Nguyễn Văn Hùng,A-1\n', 'utf8');
    expect(importDelegates(moved, { venue, store })).toEqual({ imported: 2 });
    expect(repo.byCode('D-0001')!.seat).toBe('A-2');
    expect(repo.byCode('D-0003')).toBeUndefined();
    expect(ledger.isPresent('D-0001')).toBe(true);
  });

  it('refuses to give a code with check-ins or a revoked badge to a different person, changing nothing', () => {
    importDelegates(fixture('good.csv'), { venue, store });
    const ledger = new Ledger(store.db, scaledClock(1, 1_750_000_000_000));
    ledger.checkIn({ id: 'c1', code: 'D-0001', source: 'badge', device: 'robot-1', gate: 'A' });
    store.db.prepare("INSERT INTO badge_revocations (code, at_ms, reason) VALUES ('D-0002', 1, 'lost')").run();
    const swapped = join(dir, 'swapped.csv');
    writeFileSync(swapped, 'code,full_name,seat\nD-0001,Trần Văn Mới,A-1\nD-0002,Lê Thị Khác,A-2\nD-0003,Người Thay Thế,A-3\n', 'utf8');
    const err = inputErrorOf(() => importDelegates(swapped, { venue, store }));
    expect(err.message).toMatch(/gives 2 code\(s\) already on record to a different person/);
    expect(err.problems).toEqual([
      'D-0001: Võ Thị Ngọc Thủy → Trần Văn Mới (has check-ins)',
      expect.stringMatching(/^D-0002: .* → Lê Thị Khác \(has a revoked badge\)$/),
    ]);
    expect(repo.byCode('D-0001')!.fullName).toBe('Võ Thị Ngọc Thủy');
    expect(repo.byCode('D-0003')!.fullName).not.toBe('Người Thay Thế');

    // The same names (even in decomposed Unicode, as some editors save them) are fine.
    const same = join(dir, 'same.csv');
    const d2 = repo.byCode('D-0002')!.fullName;
    writeFileSync(same, `code,full_name,seat\nD-0001,${'Võ Thị Ngọc Thủy'.normalize('NFD')},A-1\nD-0002,${d2},A-2\nD-0003,Người Thay Thế,A-3\n`, 'utf8');
    expect(importDelegates(same, { venue, store })).toEqual({ imported: 3 });
    expect(repo.byCode('D-0003')!.fullName).toBe('Người Thay Thế');
  });

  it('keeps a delegate whose check-in was undone (the record stays) and says why', () => {
    copyFileSync(fixture('good.csv'), join(dir, 'g.csv'));
    importDelegates(join(dir, 'g.csv'), { venue, store });
    const ledger = new Ledger(store.db, scaledClock(1, 1_750_000_000_000));
    ledger.checkIn({ id: 'c1', code: 'D-0003', source: 'badge', device: 'robot-1', gate: 'A' });
    ledger.undo('c1', { reason: 'wrong person', operator: 'Lan', device: 'tablet-1' });
    const without = join(dir, 'without.csv');
    writeFileSync(without, 'code,full_name,seat\nD-0001,Võ Thị Ngọc Thủy,A-1\n', 'utf8');
    expect(inputErrorOf(() => importDelegates(without, { venue, store })).problems).toEqual(['D-0003: has an undone check-in on record']);
  });
});
