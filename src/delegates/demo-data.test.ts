import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/sqlite-store.ts';
import { smallVenue } from '../../tests/fixtures/delegates/small-venue.ts';
import { demoDelegates, seatsFrontToBack, writeDelegatesCsv } from './demo-data.ts';
import { importDelegates } from './import.ts';
import { DelegateRepository } from './repository.ts';

// 20 rows × 25 seats = 500 seats, enough for the 449 delegates of a large ward congress.
const venue = smallVenue(20, 25);
const seats = seatsFrontToBack(venue);
/** Vietnamese letters outside ASCII (tone marks, ă â ê ô ơ ư đ). */
const diacritic = /[\u00c0-\u1ef9]/;

describe('demoDelegates', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'letan-demo-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is deterministic: the same seed writes the same CSV bytes; another seed differs', () => {
    writeDelegatesCsv(join(dir, 'a.csv'), demoDelegates(seats));
    writeDelegatesCsv(join(dir, 'b.csv'), demoDelegates(seats));
    writeDelegatesCsv(join(dir, 'c.csv'), demoDelegates(seats, 449, 7));
    const a = readFileSync(join(dir, 'a.csv'));
    expect(readFileSync(join(dir, 'b.csv')).equals(a)).toBe(true);
    expect(readFileSync(join(dir, 'c.csv')).equals(a)).toBe(false);
    // Atomic write: no temp file left behind.
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('gives 449 delegates unique codes D-0001… and unique seats filled front to back', () => {
    const ds = demoDelegates(seats);
    expect(ds).toHaveLength(449);
    expect(new Set(ds.map((d) => d.code)).size).toBe(449);
    expect(new Set(ds.map((d) => d.seat)).size).toBe(449);
    expect(ds[0]!.code).toBe('D-0001');
    expect(ds[448]!.code).toBe('D-0449');
    expect(ds.map((d) => d.seat)).toEqual(seats.slice(0, 449));
    expect(ds[0]).toMatchObject({ seat: 'A-1', title: 'Bí thư Đảng ủy phường' });
  });

  it('has realistic Vietnamese names with diacritics, NFC, three or four syllables, all different', () => {
    const ds = demoDelegates(seats);
    const names = ds.map((d) => d.fullName);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) {
      expect(n).toBe(n.normalize('NFC'));
      expect(n.split(' ').length).toBeGreaterThanOrEqual(3);
      expect(n.split(' ').length).toBeLessThanOrEqual(4);
    }
    expect(names.filter((n) => diacritic.test(n)).length / names.length).toBeGreaterThan(0.9);
    // Family names follow the population: Nguyễn is the most common.
    const nguyen = names.filter((n) => n.startsWith('Nguyễn ')).length / names.length;
    expect(nguyen).toBeGreaterThan(0.25);
    expect(nguyen).toBeLessThan(0.5);
    // Gender consistency: "Thị" is a women's middle name, "Văn" a men's; never both.
    expect(names.some((n) => n.includes(' Thị ') && n.includes(' Văn '))).toBe(false);
    expect(ds.filter((d) => d.title.startsWith('Chủ tịch Hội Liên hiệp Phụ nữ')).every((d) => !d.fullName.includes(' Văn '))).toBe(true);
  });

  it('mixes titles and delegations of a ward congress, about 3 % English, wheelchair users on aisle seats', () => {
    const ds = demoDelegates(seats);
    const delegations = new Set(ds.map((d) => d.delegation));
    expect(delegations.has('Đoàn đại biểu Đảng bộ Khối Dân chính Đảng')).toBe(true);
    expect(delegations.has('Đoàn đại biểu Đảng bộ Công an phường')).toBe(true);
    expect(delegations.has('Đoàn đại biểu Chi bộ khu phố 12')).toBe(true);
    expect(ds.some((d) => d.title === 'Bí thư Chi bộ khu phố 3')).toBe(true);
    expect(ds.filter((d) => d.language === 'en')).toHaveLength(13);
    const wheelchair = ds.filter((d) => d.needs.includes('wheelchair'));
    expect(wheelchair.length).toBeGreaterThanOrEqual(3);
    for (const d of wheelchair) expect(d.seat).toMatch(/^[A-T]-(1|25)$/);
  });

  it('refuses more delegates than seats', () => {
    expect(() => demoDelegates(seats.slice(0, 10), 11)).toThrow(/only 10 seats/);
  });

  it('writes a CSV that imports back unchanged', () => {
    const ds = demoDelegates(seats);
    const file = join(dir, 'delegates.csv');
    writeDelegatesCsv(file, ds);
    const store = openStore(join(dir, 'letan.sqlite'));
    try {
      expect(importDelegates(file, { venue, store })).toEqual({ imported: 449 });
      const byCode = (a: { code: string }, b: { code: string }): number => a.code.localeCompare(b.code);
      expect(new DelegateRepository(store.db).all()).toEqual([...ds].sort(byCode));
    } finally {
      store.close();
    }
  });
});
