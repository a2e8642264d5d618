import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, errorText } from '../shared/errors.ts';

/** One image of a face benchmark set (format of benchmarks/faces/manifest.json). */
export interface FaceSetImage {
  readonly identity: string;
  /** Absolute path. */
  readonly file: string;
  readonly role: 'enroll' | 'query' | 'impostor';
}

/** Reads `DIR/manifest.json`: `{ images: [{ identity, file (relative to DIR), role }] }`. One InputError lists every bad entry. */
export function loadFaceManifest(dir: string): FaceSetImage[] {
  const path = join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err: unknown) {
    throw new InputError(`${path}: expected a face benchmark manifest (${errorText(err)}); set LETAN_SHARED or pass --set DIR`);
  }
  const images = typeof raw === 'object' && raw !== null && 'images' in raw ? raw.images : undefined;
  if (!Array.isArray(images)) throw new InputError(`${path}: images: expected an array of {identity, file, role}`);
  const problems: string[] = [];
  const out: FaceSetImage[] = [];
  images.forEach((item: unknown, i: number) => {
    const it = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const { identity, file, role } = it;
    if (typeof identity !== 'string' || identity === '') problems.push(`images[${i}].identity: expected a non-empty string`);
    else if (typeof file !== 'string' || file === '') problems.push(`images[${i}].file: expected a path relative to ${dir}`);
    else if (role !== 'enroll' && role !== 'query' && role !== 'impostor') problems.push(`images[${i}].role: expected enroll, query or impostor, got ${JSON.stringify(role)}`);
    else out.push({ identity, file: join(dir, file), role });
  });
  if (problems.length > 0) throw new InputError(`${path}: ${problems.length} bad image entr${problems.length === 1 ? 'y' : 'ies'}`, problems);
  return out;
}
