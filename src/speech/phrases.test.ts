import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../shared/errors.ts';
import { PHRASE_PARAMS } from './phrase-catalog.ts';
import { adviceKey, DEFAULT_VOICES_DIR, loadPhrases, PHRASE_KEYS, refusalKey, type Advice, type PhraseKey, type RefusalReason } from './phrases.ts';
import { tempDirPerTest } from '../shared/test-support.ts';

const SAMPLE: Readonly<Record<string, string>> = { name: 'Võ Thị Ngọc Thủy', row: 'C', number: '14', time: '07:42', gate: 'A', place: 'thang máy' };
const REASONS: readonly RefusalReason[] = ['forged', 'other_event', 'revoked', 'unknown_delegate', 'not_a_badge', 'unreadable'];
const ADVICE: readonly Advice[] = ['step_closer', 'step_back', 'one_at_a_time', 'look_at_camera', 'hold_still'];
/** Spoken to whoever stands at the camera before they are identified (they may not be a delegate). */
const BEFORE_IDENTIFIED: ReadonlySet<PhraseKey> = new Set<PhraseKey>(['ask_badge', 'staff_called', ...ADVICE.map(adviceKey)]);

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.slice(0, -1)];
  return Object.entries(value).flatMap(([key, inner]) => keysOf(inner, `${prefix}${key}.`));
}

function renderAny(phrases: ReturnType<typeof loadPhrases>, key: PhraseKey): string {
  return (phrases.render as (key: PhraseKey, params: Readonly<Record<string, string>>) => string)(key, SAMPLE);
}

describe('the shipped phrase files', () => {
  it('have exactly the same keys in both languages, and exactly the catalog', () => {
    const vi = keysOf(YAML.parse(readFileSync(join(DEFAULT_VOICES_DIR, 'vi.yaml'), 'utf8'))).sort();
    const en = keysOf(YAML.parse(readFileSync(join(DEFAULT_VOICES_DIR, 'en.yaml'), 'utf8'))).sort();
    expect(vi).toEqual(en);
    expect(vi).toEqual([...PHRASE_KEYS].sort());
  });

  it('render the greeting in Vietnamese with the name and its diacritics intact', () => {
    const vi = loadPhrases('vi');
    expect(vi.render('greeting', { name: 'Võ Thị Ngọc Thủy' })).toBe('Chào mừng đại biểu Võ Thị Ngọc Thủy về tham dự đại hội.');
    expect(vi.render('seat', { row: 'C', number: 14 })).toBe('Ghế của đại biểu ở hàng C, số 14.');
    expect(vi.render('escort_start', { row: 'C' })).toBe('Mời đại biểu đi theo tôi đến hàng C.');
    expect(vi.render('idle')).toBe('Mời đại biểu đưa thẻ lên trước camera.');
    expect(vi.render('estop')).toMatch(/^Robot đã dừng khẩn cấp/);
    expect(vi.render('already_checked_in', { name: 'Nguyễn Văn An', time: '07:42', gate: 'A' })).toMatch(
      /^Đại biểu Nguyễn Văn An đã điểm danh lúc 07:42, cửa A\./,
    );
  });

  it('render in English', () => {
    const en = loadPhrases('en');
    expect(en.render('greeting', { name: 'Nguyen Van An' })).toContain('Nguyen Van An');
    expect(en.render('arrived', { row: 'C', number: 14 })).toMatch(/row C.*number 14/);
    expect(en.render('language.vi')).toBe('Vietnamese');
  });

  it('fill every placeholder of every message in both languages', () => {
    for (const lang of ['vi', 'en'] as const) {
      const phrases = loadPhrases(lang);
      for (const key of PHRASE_KEYS) {
        const line = renderAny(phrases, key);
        expect(line, `${lang} ${key}`).not.toMatch(/[{}]/);
        expect(line.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('send the delegate to the staff desk for every refusal, politely', () => {
    const vi = loadPhrases('vi');
    const en = loadPhrases('en');
    for (const reason of REASONS) {
      expect(vi.render(refusalKey(reason))).toMatch(/^Xin lỗi.*[Xx]in mời đại biểu đến bàn lễ tân để được hỗ trợ\.$/);
      expect(en.render(refusalKey(reason))).toMatch(/^Sorry, .*[Pp]lease see the staff desk\.$/);
    }
  });

  it('address the delegate as "đại biểu" in every Vietnamese message that speaks to them, and as "quý vị" someone not identified yet', () => {
    const vi = loadPhrases('vi');
    const spokenTo = PHRASE_KEYS.filter((key) => !key.startsWith('language.') && key !== 'estop');
    for (const key of spokenTo) {
      if (BEFORE_IDENTIFIED.has(key)) expect(renderAny(vi, key), key).toMatch(/^Xin quý vị vui lòng /);
      else expect(renderAny(vi, key), key).toContain('đại biểu');
    }
  });

  it('ask an unidentified person for their badge, to wait for staff, or to help the camera: one polite line each, in both languages', () => {
    const vi = loadPhrases('vi');
    const en = loadPhrases('en');
    expect(vi.render('ask_badge')).toBe('Xin quý vị vui lòng đưa thẻ đại biểu lên trước camera.');
    expect(en.render('ask_badge')).toBe('Please hold your delegate badge up to the camera.');
    // The same words whether the face was unsure or the badge and the face disagreed: never accusing.
    expect(vi.render('staff_called')).toBe('Xin quý vị vui lòng chờ trong giây lát, cán bộ lễ tân sẽ hỗ trợ quý vị.');
    expect(en.render('staff_called')).toBe('Please wait a moment; a member of staff will help you.');
    const advice = ADVICE.map((a) => [vi.render(adviceKey(a)), en.render(adviceKey(a))]);
    expect(new Set(advice.map(([v]) => v)).size).toBe(ADVICE.length);
    expect(new Set(advice.map(([, e]) => e)).size).toBe(ADVICE.length);
    for (const [v, e] of advice) {
      expect(v).toMatch(/^Xin quý vị vui lòng .+\.$/);
      expect(e).toMatch(/[Pp]lease/);
    }
  });
});

describe('loadPhrases on bad files', () => {
  let dir: string;
  const valid = readFileSync(join(DEFAULT_VOICES_DIR, 'vi.yaml'), 'utf8');
  tempDirPerTest('letan-phrases-', (d) => (dir = d));

  async function loadWith(text: string): Promise<() => unknown> {
    await writeFile(join(dir, 'vi.yaml'), text);
    return () => loadPhrases('vi', dir);
  }

  it('names the file, line and key of an unknown message', async () => {
    const load = await loadWith(`${valid}\ngoodbye: "Tạm biệt."\n`);
    expect(load).toThrow(InputError);
    const line = `${valid}\n`.split('\n').length;
    expect(load).toThrow(`${join(dir, 'vi.yaml')}:${line}: goodbye: unknown message key`);
  });

  it('names an unknown key inside a group', async () => {
    const load = await loadWith(valid.replace('  revoked:', '  expired:'));
    expect(load).toThrow(/vi\.yaml:\d+: refusal\.expired: unknown message key/);
  });

  it('names a message that is missing (the other language has it)', async () => {
    const load = await loadWith(valid.replace(/^seat: .*$/m, ''));
    expect(load).toThrow(`${join(dir, 'vi.yaml')}: seat: missing; expected every message in every language file`);
  });

  it('names a placeholder the message does not allow, and lists the allowed ones', async () => {
    const load = await loadWith(valid.replace('hàng {row}, số {number}', 'hàng {row}, số {seat}'));
    expect(load).toThrow(/vi\.yaml:\d+: seat: placeholder \{seat\} is not allowed here; expected only \{row\}, \{number\}/);
  });

  it('names a placeholder in a message that takes none', async () => {
    const load = await loadWith(valid.replace('Mời đại biểu đưa thẻ lên trước camera.', 'Mời {name} đưa thẻ lên.'));
    expect(load).toThrow(/idle: placeholder \{name\} is not allowed here; expected no placeholders/);
  });

  it('names an unbalanced brace', async () => {
    const load = await loadWith(valid.replace('đại biểu {name} về', 'đại biểu {name về'));
    expect(load).toThrow(/greeting: (placeholder|unbalanced)/);
  });

  it('names an empty line and a non-text value', async () => {
    expect(await loadWith(valid.replace(/^idle: .*$/m, 'idle: ""'))).toThrow(/vi\.yaml:\d+: idle: expected a non-empty line of text/);
    expect(await loadWith(valid.replace(/^idle: .*$/m, 'idle: [1, 2]'))).toThrow(/vi\.yaml:\d+: idle: expected a non-empty line of text/);
  });

  it('names the line of broken YAML', async () => {
    expect(await loadWith('greeting: "unterminated\nseat: x\n')).toThrow(/vi\.yaml:\d+: expected valid YAML/);
  });

  it('names a missing file', () => {
    expect(() => loadPhrases('en', dir)).toThrow(`${join(dir, 'en.yaml')}: expected a phrase file for language 'en'`);
  });
});

describe('Phrases.render', () => {
  it('throws naming the message and the parameter when one is missing', () => {
    const vi = loadPhrases('vi');
    const render = vi.render as (key: PhraseKey, params?: Readonly<Record<string, string>>) => string;
    expect(() => render('seat', { row: 'C' })).toThrow("phrase 'seat' (vi): missing parameter 'number'");
    expect(() => render('greeting')).toThrow("phrase 'greeting' (vi): missing parameter 'name'");
  });

  it('allows every placeholder a message uses, per the catalog', () => {
    expect(PHRASE_PARAMS.already_checked_in).toEqual(['name', 'time', 'gate']);
    expect(refusalKey('not_a_badge')).toBe('refusal.not_a_badge');
  });
});
