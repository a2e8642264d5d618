import { describe, expect, it } from 'vitest';
import { decodeCsvBytes, parseCsv } from './csv.ts';
import { firstInvalidUtf8, invalidUtf8Lines } from './utf8.ts';
import { inputErrorOf } from '../shared/test-support.ts';

const rows = (text: string): string[][] => parseCsv(text, 'x.csv').records.map((r) => [...r.fields]);
const lines = (text: string): number[] => parseCsv(text, 'x.csv').records.map((r) => r.line);

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields and records on LF, CRLF and lone CR', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(rows('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows('a,b\r1,2')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(rows('a,,c,\n')).toEqual([['a', '', 'c', '']]);
    expect(rows(',\n')).toEqual([['', '']]);
  });

  it('reads quoted fields with commas, escaped quotes and embedded line breaks', () => {
    expect(rows('"Lê, Văn A","say ""xin chào""",x\n')).toEqual([['Lê, Văn A', 'say "xin chào"', 'x']]);
    expect(rows('code,note\r\nD-1,"line one\r\nline two"\r\nD-2,z\r\n')).toEqual([
      ['code', 'note'],
      ['D-1', 'line one\r\nline two'],
      ['D-2', 'z'],
    ]);
    expect(rows('"",x\n')).toEqual([['', 'x']]);
  });

  it('reports the physical line each record starts on, past embedded newlines and blank lines', () => {
    expect(lines('h1,h2\n"a\nb\nc",d\n\ne,f\n')).toEqual([1, 2, 6]);
    expect(lines('h\r\n\r\n\r\nx\r\n')).toEqual([1, 4]);
  });

  it('drops a BOM and tolerates spaces around quoted fields', () => {
    expect(rows('\uFEFFcode,name\n')).toEqual([['code', 'name']]);
    expect(rows('a, "b, c" ,d\n')).toEqual([['a', 'b, c', 'd']]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(rows('5" screen,x\n')).toEqual([['5" screen', 'x']]);
  });

  it('normalises text to NFC', () => {
    const decomposed = 'Võ Thị Ngọc Thủy'.normalize('NFD');
    expect(decomposed).not.toBe('Võ Thị Ngọc Thủy'.normalize('NFC'));
    expect(rows(`${decomposed}\n`)[0]![0]).toBe('Võ Thị Ngọc Thủy'.normalize('NFC'));
  });

  it('uses semicolons when the header has semicolons and no commas (Excel with a decimal comma)', () => {
    const t = parseCsv('code;full_name;needs\nD-1;Lê Văn A;"wheelchair;hearing"\n', 'x.csv');
    expect(t.delimiter).toBe(';');
    expect(t.records.map((r) => r.fields)).toEqual([['code', 'full_name', 'needs'], ['D-1', 'Lê Văn A', 'wheelchair;hearing']]);
  });

  it('rejects an unclosed quote, naming the line where it opened', () => {
    const err = inputErrorOf(() => parseCsv('a,b\n1,"never\nclosed\n', 'x.csv'));
    expect(err.message).toMatch(/^x\.csv:2: quoted field never closed/);
  });

  it('rejects text after a closing quote, naming the line', () => {
    const err = inputErrorOf(() => parseCsv('a,b\n1,"x"y\n', 'x.csv'));
    expect(err.message).toMatch(/^x\.csv:2: text after a closing quote/);
  });
});

describe('decodeCsvBytes', () => {
  it('decodes UTF-8 and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('code\nĐặng Thị Ánh\n', 'utf8')]);
    expect(decodeCsvBytes(bytes, 'x.csv')).toBe('code\nĐặng Thị Ánh\n');
  });

  it('names the line of the first byte that is not UTF-8, and lists every bad line', () => {
    // "Lê" and "Hồ" as Latin-1 / Windows-1258 single bytes (0xEA, 0xD2) on lines 3 and 5.
    const bytes = Buffer.concat([
      Buffer.from('code,full_name\r\nD-1,Nguyễn An\r\nD-2,L', 'utf8'),
      Buffer.from([0xea]),
      Buffer.from(' Bình\r\nD-3,Ok\r\nD-4,H', 'utf8'),
      Buffer.from([0xd2]),
      Buffer.from('\r\n', 'utf8'),
    ]);
    const err = inputErrorOf(() => decodeCsvBytes(bytes, 'x.csv'));
    expect(err.message).toBe('x.csv:3: not UTF-8 — save the file as CSV UTF-8 (2 lines affected)');
    expect(err.problems).toEqual(['line 3: not UTF-8', 'line 5: not UTF-8']);
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts valid multi-byte text and finds truncated, overlong and surrogate sequences', () => {
    expect(firstInvalidUtf8(Buffer.from('Thủy 😀 ok', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe1, 0xbb]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xe0, 0x80, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1);
    expect(invalidUtf8Lines(Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x0d, 0x0a, 0x62, 0x0a, 0xff]))).toEqual([2, 4]);
  });
});
