import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../shared/paths.ts';
import { loadPhrases } from '../speech/phrases.ts';
import { loadVenue } from '../venue/load-venue.ts';
import type { ReceptionDelegate } from '../../statecharts/reception-types.ts';
import { clockTime, speechLine } from './speech-lines.ts';

/** 2025-10-15 01:12 UTC: 08:12 at a Vietnamese venue, whatever the host's time zone. */
const atMs = Date.UTC(2025, 9, 15, 1, 12);

describe('clockTime', () => {
  it("tells the time of day in the venue's time zone, not the host's", () => {
    expect(clockTime(atMs, 'Asia/Ho_Chi_Minh')).toBe('08:12');
    expect(clockTime(atMs, 'UTC')).toBe('01:12');
    expect(clockTime(Date.UTC(2025, 9, 15, 17, 5), 'Asia/Ho_Chi_Minh')).toBe('00:05'); // past midnight is 00, not 24
  });
});

const demoHall = resolve(repoRoot, 'maps/demo-hall');
const present = existsSync(join(demoHall, 'venue.json'));
if (!present) console.warn(`skipping speechLine test: no demo hall at ${demoHall}`);

describe('speechLine', () => {
  it.skipIf(!present)('says when an already checked-in delegate came, in the given time zone (Asia/Ho_Chi_Minh by default)', async () => {
    const venue = await loadVenue(demoHall);
    const phrases = { vi: loadPhrases('vi'), en: loadPhrases('en') };
    const delegate: ReceptionDelegate = {
      code: 'D-1',
      fullName: 'Võ Thị Ngọc Thủy',
      title: '',
      delegation: '',
      seat: 'A-1',
      language: 'vi',
      needs: [],
      row: 'A',
      seatNumber: 1,
    };
    const input = { phrase: 'already_checked_in' as const, delegate, earlier: { atMs, gate: 'A' } };
    expect(speechLine(input, phrases, 'vi', venue).text).toContain('lúc 08:12, cửa A');
    expect(speechLine(input, phrases, 'vi', venue, 'Asia/Tokyo').text).toContain('lúc 10:12, cửa A');
  });
});
