import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../shared/paths.ts';
import { loadPhrases } from '../speech/phrases.ts';
import { loadVenue } from '../venue/load-venue.ts';
import type { FaceAdvice, ReceptionDelegate } from '../../statecharts/reception-types.ts';
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

  it.skipIf(!present)("asks for the badge, calls staff and advises in the event's language, without naming anyone", async () => {
    const venue = await loadVenue(demoHall);
    const phrases = { vi: loadPhrases('vi'), en: loadPhrases('en') };
    expect(speechLine({ phrase: 'ask_badge' }, phrases, 'vi', venue)).toEqual({ text: 'Xin quý vị vui lòng đưa thẻ đại biểu lên trước camera.', lang: 'vi' });
    expect(speechLine({ phrase: 'ask_badge' }, phrases, 'en', venue)).toEqual({ text: 'Please hold your delegate badge up to the camera.', lang: 'en' });
    expect(speechLine({ phrase: 'staff_called' }, phrases, 'vi', venue).text).toBe('Xin quý vị vui lòng chờ trong giây lát, cán bộ lễ tân sẽ hỗ trợ quý vị.');
    expect(speechLine({ phrase: 'staff_called' }, phrases, 'en', venue).text).toBe('Please wait a moment; a member of staff will help you.');
    const advice: readonly FaceAdvice[] = ['step-closer', 'step-back', 'one-at-a-time', 'look-at-camera', 'hold-still'];
    const vi = advice.map((a) => speechLine({ phrase: 'advice', advice: a }, phrases, 'vi', venue).text);
    expect(vi[0]).toBe('Xin quý vị vui lòng bước lại gần hơn một chút.');
    expect(new Set(vi).size).toBe(advice.length);
    expect(speechLine({ phrase: 'advice', advice: 'one-at-a-time' }, phrases, 'en', venue).text).toBe('One person at a time, please.');
    // Advice without its kind (a caller's slip) falls back to asking for the badge rather than failing.
    expect(speechLine({ phrase: 'advice' }, phrases, 'en', venue).text).toBe('Please hold your delegate badge up to the camera.');
  });
});
