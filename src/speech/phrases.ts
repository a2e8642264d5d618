import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, type TObject, type TString } from '@sinclair/typebox';
import { Value, ValueErrorType } from '@sinclair/typebox/value';
import YAML, { isMap, isScalar, LineCounter, type Document } from 'yaml';
import { InputError, where } from '../shared/errors.ts';
import { repoRoot } from '../shared/paths.ts';
import { isPhraseKey, PHRASE_KEYS, PHRASE_PARAMS, type PhraseArgs, type PhraseKey } from './phrase-catalog.ts';
import type { Lang } from './speaker.ts';

export { adviceKey, PHRASE_KEYS, refusalKey, type Advice, type PhraseKey, type PhraseParams, type RefusalReason } from './phrase-catalog.ts';

/** One language's spoken lines, checked at load. */
export interface Phrases {
  readonly lang: Lang;
  readonly file: string;
  /** The raw template, `{placeholders}` included. */
  template(this: void, key: PhraseKey): string;
  /** The line with its placeholders filled; throws naming the key and parameter when one is missing. */
  render<K extends PhraseKey>(this: void, key: K, ...params: PhraseArgs<K>): string;
}

export const DEFAULT_VOICES_DIR = resolve(repoRoot, 'voices');

const Line = Type.String({ minLength: 1, pattern: '\\S' });

/** The file's shape, derived from the catalog: top-level messages plus the nested groups. */
const PhrasesFile: TObject = (() => {
  const top: Record<string, TString | TObject> = {};
  const groups: Record<string, Record<string, TString>> = {};
  for (const key of PHRASE_KEYS) {
    const [group, member] = key.split('.', 2) as [string, string | undefined];
    if (member === undefined) top[group] = Line;
    else (groups[group] ??= {})[member] = Line;
  }
  for (const [group, members] of Object.entries(groups)) top[group] = Type.Object(members, { additionalProperties: false });
  return Type.Object(top, { additionalProperties: false });
})();

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Loads voices/<lang>.yaml (or `<dir>/<lang>.yaml`). Throws InputError naming the file,
 * line and key for YAML errors, unknown keys, missing keys (every language has every message),
 * and placeholders the message does not allow.
 */
export function loadPhrases(lang: Lang, dir: string = DEFAULT_VOICES_DIR): Phrases {
  const file = join(dir, `${lang}.yaml`);
  if (!existsSync(file)) throw new InputError(`${file}: expected a phrase file for language '${lang}'`);
  const text = readFileSync(file, 'utf8');
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    throw new InputError(`${where(file, line)}: expected valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS();
  const lineOf = (path: readonly string[]): number | undefined => nodeLine(doc, lineCounter, path);

  // An unknown key explains itself better than the missing one it probably replaced, so it goes first.
  const errors = [...Value.Errors(PhrasesFile, data)];
  const firstError = errors.find((e) => e.type === ValueErrorType.ObjectAdditionalProperties) ?? errors[0];
  if (firstError) {
    const path = firstError.path.split('/').filter(Boolean);
    const key = path.join('.') || '(top level)';
    const line = lineOf(path);
    switch (firstError.type) {
      case ValueErrorType.ObjectAdditionalProperties:
        throw new InputError(`${where(file, line, key)}: unknown message key; expected one of ${PHRASE_KEYS.join(', ')}`);
      case ValueErrorType.ObjectRequiredProperty:
        throw new InputError(`${where(file, undefined, key)}: missing; expected every message in every language file (vi.yaml and en.yaml)`);
      case ValueErrorType.Object:
        throw new InputError(`${where(file, line, key)}: expected a mapping of message keys to lines`);
      default:
        throw new InputError(`${where(file, line, key)}: expected a non-empty line of text`);
    }
  }

  const templates = new Map<PhraseKey, string>();
  const flat = flatten(data as Record<string, unknown>);
  for (const [key, template] of flat) {
    if (!isPhraseKey(key)) throw new InputError(`${where(file, lineOf(key.split('.')), key)}: unknown message key`);
    const allowed: readonly string[] = PHRASE_PARAMS[key];
    const problem = placeholderProblem(template, allowed);
    if (problem) throw new InputError(`${where(file, lineOf(key.split('.')), key)}: ${problem}`);
    templates.set(key, template);
  }
  return makePhrases(lang, file, templates);
}

function makePhrases(lang: Lang, file: string, templates: ReadonlyMap<PhraseKey, string>): Phrases {
  const template = (key: PhraseKey): string => {
    const found = templates.get(key);
    if (found === undefined) throw new Error(`${file}: no message '${key}'`);
    return found;
  };
  return {
    lang,
    file,
    template,
    render<K extends PhraseKey>(this: void, key: K, ...args: PhraseArgs<K>): string {
      const params: Readonly<Record<string, string | number | undefined>> = args[0] ?? {};
      return template(key).replace(PLACEHOLDER, (_match, name: string) => {
        const value = params[name];
        if (value === undefined || value === null) {
          throw new Error(`phrase '${key}' (${lang}): missing parameter '${name}'`);
        }
        return String(value);
      });
    },
  };
}

/** Why a template's placeholders are wrong, or undefined when they are fine. */
function placeholderProblem(template: string, allowed: readonly string[]): string | undefined {
  const expected = allowed.length === 0 ? 'no placeholders' : `only ${allowed.map((name) => `{${name}}`).join(', ')}`;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!allowed.includes(name)) return `placeholder {${name}} is not allowed here; expected ${expected}`;
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) return `unbalanced { or }; expected ${expected}`;
  return undefined;
}

function flatten(data: Readonly<Record<string, unknown>>, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') out.push([prefix + key, value]);
    else if (typeof value === 'object' && value !== null) out.push(...flatten(value as Record<string, unknown>, `${prefix}${key}.`));
  }
  return out;
}

/** 1-based line of the key at `path` (or of its nearest existing parent). */
function nodeLine(doc: Document, lineCounter: LineCounter, path: readonly string[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    if (!isMap(parent)) continue;
    for (const pair of parent.items) {
      if (isScalar(pair.key) && pair.key.value === path[depth - 1] && pair.key.range) {
        return lineCounter.linePos(pair.key.range[0]).line;
      }
    }
  }
  return undefined;
}
