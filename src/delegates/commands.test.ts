import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as demoData } from '../cli/commands/demo-data.ts';
import { run as importCommand } from '../cli/commands/import.ts';
import { DEMO_BADGE_KEY_HEX } from '../event/config.ts';
import { InputError } from '../shared/errors.ts';
import { repoRoot } from '../shared/paths.ts';
import { openStore } from '../store/sqlite-store.ts';
import { DelegateRepository } from './repository.ts';

// The commands load the real demo hall (maps/demo-hall, written by the venue work).
const demoHall = resolve(repoRoot, 'maps/demo-hall');
const present = existsSync(join(demoHall, 'venue.json'));
if (!present) console.warn(`skipping letan demo-data/import command tests: no demo hall at ${demoHall}`);

describe.skipIf(!present)('letan demo-data and letan import against the demo hall', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'letan-cmd-'));
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('demo-data --out writes the CSV and a fresh store; running it again replaces the store', async () => {
    expect(await demoData(['--out', dir, '--count', '40'])).toBe(0);
    const csv = readFileSync(join(dir, 'delegates.csv'), 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(41);
    let store = openStore(join(dir, 'letan.sqlite'));
    expect(new DelegateRepository(store.db).count()).toBe(40);
    store.db.prepare("INSERT INTO checkins (id, code, at_ms, source, device, gate) VALUES ('c1', 'D-0001', 1, 'badge', 'r', 'A')").run();
    store.close();

    expect(await demoData(['--out', dir, '--count', '40'])).toBe(0);
    store = openStore(join(dir, 'letan.sqlite'));
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkins').get()!.n).toBe(0);
    store.close();
    expect(vi.mocked(console.log).mock.calls.flat().join('\n')).toMatch(/replaced the old demo store .*letan\.sqlite \(demo data starts fresh: no check-ins\)/);
    expect(readdirSync(dir).sort()).toEqual(['delegates.csv', 'letan.sqlite']);
  });

  it('demo-data leaves the old store as it was when building the new one fails', async () => {
    expect(await demoData(['--out', dir, '--count', '40'])).toBe(0);
    let store = openStore(join(dir, 'letan.sqlite'));
    store.db.prepare("INSERT INTO checkins (id, code, at_ms, source, device, gate) VALUES ('c1', 'D-0001', 1, 'badge', 'r', 'A')").run();
    store.close();
    mkdirSync(join(dir, 'letan.sqlite.new')); // the new store cannot be created there

    await expect(demoData(['--out', dir, '--count', '40'])).rejects.toThrow();
    store = openStore(join(dir, 'letan.sqlite'));
    expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkins').get()!.n).toBe(1);
    expect(new DelegateRepository(store.db).count()).toBe(40);
    store.close();
  });

  it('demo-data refuses a bad --count', async () => {
    await expect(demoData(['--out', dir, '--count', 'many'])).rejects.toThrow(/--count many: expected a whole number/);
    await expect(demoData(['--out', dir, '--count', '100000'])).rejects.toThrow(InputError);
    expect(existsSync(join(dir, 'delegates.csv'))).toBe(false);
  });

  it('import FILE --event EVENT imports into the event store against the event venue', async () => {
    const event = join(dir, 'event.yaml');
    writeFileSync(event, `id: TEST\nname: { vi: Thử, en: Test }\nvenue: ${demoHall}\nstore: test.sqlite\nbadge_key: ${DEMO_BADGE_KEY_HEX}\n`);
    const csv = join(dir, 'list.csv');
    writeFileSync(csv, 'code,full_name,seat\nD-1,Võ Thị Ngọc Thủy,A-1\nD-2,Trần Văn Nam,A-2\n');
    expect(await importCommand([csv, '--event', event])).toBe(0);
    const store = openStore(join(dir, 'test.sqlite'));
    expect(new DelegateRepository(store.db).byCode('D-1')?.fullName).toBe('Võ Thị Ngọc Thủy');
    store.close();

    writeFileSync(csv, 'code,full_name,seat\nD-1,Võ Thị Ngọc Thủy,Z-999\n');
    await expect(importCommand([csv, '--event', event])).rejects.toThrow(/1 bad row, nothing imported/);
    await expect(importCommand(['--event', event])).rejects.toThrow(/expected one FILE\.csv/);
  });

  it('import creates no store when the file is missing or has a bad row', async () => {
    const event = join(dir, 'event.yaml');
    writeFileSync(event, `id: TEST\nname: { vi: Thử, en: Test }\nvenue: ${demoHall}\nstore: test.sqlite\nbadge_key: ${DEMO_BADGE_KEY_HEX}\n`);
    await expect(importCommand([join(dir, 'nonexistent.csv'), '--event', event])).rejects.toThrow(/nonexistent\.csv: file not found/);
    const csv = join(dir, 'list.csv');
    writeFileSync(csv, 'code,full_name,seat\nD-1,Võ Thị Ngọc Thủy,Z-999\n');
    await expect(importCommand([csv, '--event', event])).rejects.toThrow(/1 bad row, nothing imported/);
    expect(readdirSync(dir).sort()).toEqual(['event.yaml', 'list.csv']);
  });
});
