import type { TSchema, Static } from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { InputError } from '../shared/errors.ts';

/**
 * Validates `value` against `schema`; on failure throws ONE InputError
 * `<file>[:line]: <field path>: expected …, got …` for the first problem.
 * `lineOf` maps a JSON pointer to a source line when the file format keeps them (YAML).
 */
export function checkSchema<S extends TSchema>(
  schema: S,
  value: unknown,
  file: string,
  lineOf?: (pointer: string) => number | undefined,
): Static<S> {
  const first = Value.Errors(schema, value).First();
  if (first === undefined) return value;
  const line = lineOf?.(first.path);
  const field = fieldPath(first.path) || '(document)';
  throw new InputError(`${file}${line !== undefined ? `:${line}` : ''}: ${field}: expected ${expected(first)}, got ${shown(first.value)}`);
}

/** `/rows/3/seats/0/x` → `rows[3].seats[0].x` */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

interface SchemaShape {
  readonly type?: string;
  readonly const?: unknown;
  readonly anyOf?: readonly SchemaShape[];
}

function expected(error: ValueError): string {
  const schema = error.schema as SchemaShape;
  if (/required property/i.test(error.message)) return `${describe(schema)} (required)`;
  if (/unexpected property/i.test(error.message)) return 'no such field';
  if (schema.anyOf?.every((s) => s.const !== undefined)) return describe(schema);
  return error.message.replace(/^Expected /, '');
}

function describe(schema: SchemaShape): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.anyOf) return `one of ${schema.anyOf.map(describe).join(', ')}`;
  return schema.type ?? 'a value';
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
