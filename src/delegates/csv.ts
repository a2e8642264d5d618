import { InputError } from '../shared/errors.ts';
import { invalidUtf8Lines } from './utf8.ts';

/** One CSV record: its fields (NFC-normalised) and the physical line it starts on (1-based). */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvTable {
  /** `,`, or `;` when the header uses semicolons (Excel in locales with a decimal comma). */
  readonly delimiter: ',' | ';';
  readonly records: readonly CsvRecord[];
}

/**
 * Decodes CSV bytes as strict UTF-8. Throws one InputError naming the line of the first
 * bad byte; `problems` lists every affected line.
 */
export function decodeCsvBytes(bytes: Uint8Array, file: string): string {
  try {
    // ignoreBOM false (the default) drops a leading UTF-8 BOM.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err: unknown) {
    if (!(err instanceof TypeError)) throw err;
    const lines = invalidUtf8Lines(bytes);
    const first = lines[0] ?? 1;
    throw new InputError(
      `${file}:${first}: not UTF-8 — save the file as CSV UTF-8${lines.length > 1 ? ` (${lines.length} lines affected)` : ''}`,
      lines.map((l) => `line ${l}: not UTF-8`),
    );
  }
}

/** Picks the delimiter from the first line: `;` only when it has semicolons and no commas outside quotes. */
function sniffDelimiter(text: string): ',' | ';' {
  let quoted = false;
  let commas = 0;
  let semicolons = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return commas === 0 && semicolons > 0 ? ';' : ',';
}

/**
 * RFC 4180 parser: quoted fields, `""` inside quotes, CRLF / LF / CR line ends, embedded
 * line breaks in quoted fields, a leading BOM. Blank lines are skipped. A quote inside an
 * unquoted field is kept as text; spaces around a quoted field are dropped. Throws InputError for an unterminated quoted field or
 * text after a closing quote, naming the line.
 */
export function parseCsv(text: string, file: string, delimiter: ',' | ';' = sniffDelimiter(text.replace(/^\uFEFF/, ''))): CsvTable {
  const s = text.replace(/^\uFEFF/, '');
  const records: CsvRecord[] = [];
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let i = 0;

  const endField = (): void => {
    fields.push(field.normalize('NFC'));
    field = '';
  };
  const endRecord = (): void => {
    endField();
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
  };
  /** Consumes a line break at i (CRLF, LF or CR); returns false when there is none. */
  const lineBreak = (): boolean => {
    if (s[i] === '\r') {
      i += s[i + 1] === '\n' ? 2 : 1;
    } else if (s[i] === '\n') {
      i += 1;
    } else {
      return false;
    }
    line += 1;
    return true;
  };

  while (i < s.length) {
    if (s[i] === '"' && field.trim() === '') {
      // Spaces around a quoted field (`a, "b" ,c`) are layout, not content.
      field = '';
      const openedAt = line;
      i += 1;
      for (;;) {
        if (i >= s.length) throw new InputError(`${file}:${openedAt}: quoted field never closed (expected a closing ")`);
        const ch = s[i]!;
        if (ch === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (ch === '\r' || ch === '\n') {
          const start = i;
          lineBreak();
          field += s.slice(start, i);
          continue;
        }
        field += ch;
        i += 1;
      }
      while (s[i] === ' ' || s[i] === '\t') i += 1;
      if (i < s.length && s[i] !== delimiter && s[i] !== '\r' && s[i] !== '\n') {
        throw new InputError(`${file}:${line}: text after a closing quote (expected ${delimiter} or end of line; write "" for a quote inside a quoted field)`);
      }
      if (s[i] === delimiter) {
        i += 1;
        endField();
        continue;
      }
      if (i >= s.length) break;
      lineBreak();
      endRecord();
      recordLine = line;
      continue;
    }
    const ch = s[i]!;
    if (ch === delimiter) {
      i += 1;
      endField();
    } else if (lineBreak()) {
      endRecord();
      recordLine = line;
    } else {
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { delimiter, records };
}
