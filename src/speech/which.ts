import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * The absolute path of an executable: `name` looked up on PATH, or, when it contains a
 * path separator, that file itself. Null when there is none.
 */
export function findExecutable(name: string, pathEnv: string | undefined = process.env.PATH): string | null {
  if (name.includes('/') || name.includes('\\') || isAbsolute(name)) {
    const candidate = resolve(name);
    return isExecutableFile(candidate) ? candidate : null;
  }
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
