import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_BADGE_KEY_HEX, loadEventConfig } from '../event/config.ts';
import { InputError } from '../shared/errors.ts';
import { repoRoot } from '../shared/paths.ts';
import { openStore } from '../store/sqlite-store.ts';
import { createRuntime } from './runtime.ts';

// The runtime loads the real demo hall (maps/demo-hall).
const demoHall = resolve(repoRoot, 'maps/demo-hall');
const present = existsSync(join(demoHall, 'venue.json'));
if (!present) console.warn(`skipping createRuntime start-up failure tests: no demo hall at ${demoHall}`);

describe.skipIf(!present)('createRuntime when start-up fails (real SQLite file)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'letan-runtime-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const event = (): string => {
    const file = join(dir, 'event.yaml');
    writeFileSync(file, `id: TEST\nname: { vi: Thử, en: Test }\nvenue: ${demoHall}\nstore: letan.sqlite\ndelegates: delegates.csv\nbadge_key: ${DEMO_BADGE_KEY_HEX}\nvoice: { output: wav }\n`);
    return file;
  };

  it('leaves no store behind when the delegates CSV of a new store is bad', async () => {
    const config = loadEventConfig(event());
    writeFileSync(join(dir, 'delegates.csv'), 'code,full_name,seat\nD-1,Võ Thị Ngọc Thủy,Z-999\n');
    await expect(createRuntime(config)).rejects.toThrow(InputError);
    expect(readdirSync(dir).sort()).toEqual(['delegates.csv', 'event.yaml']);
  });

  it('keeps a store that existed before, even when start-up fails', async () => {
    const config = loadEventConfig(event());
    openStore(config.storePath).close();
    writeFileSync(join(dir, 'delegates.csv'), 'code,full_name,seat\nD-1,Võ Thị Ngọc Thủy,Z-999\n');
    await expect(createRuntime(config)).rejects.toThrow(/1 bad row, nothing imported/);
    expect(existsSync(config.storePath)).toBe(true);
  });
});
