import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsqrModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { verifyBadge } from '../../badges/token.ts';
import { DelegateRepository } from '../../delegates/repository.ts';
import type { Delegate } from '../../delegates/types.ts';
import { InputError } from '../../shared/errors.ts';
import { openStore } from '../../store/sqlite-store.ts';
import { main } from '../main.ts';
import { run } from './badges.ts';

// jsqr is CommonJS with `export default` typings: the function is the module itself at run time.
type JsQR = typeof jsqrModule.default;
const jsQR: JsQR = (jsqrModule as unknown as { default?: JsQR }).default ?? (jsqrModule as unknown as JsQR);

const KEY_HEX = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
let dir = '';
let eventFile = '';

function delegate(code: string, fullName: string, seat: string): Delegate {
  return { code, fullName, title: 'Đại biểu', delegation: 'Đoàn Phường 1', seat, photo: '', language: 'vi', needs: [] };
}

function fillStore(delegates: Delegate[]): void {
  const store = openStore(join(dir, 'event.sqlite'));
  try {
    new DelegateRepository(store.db).replaceAll(delegates);
  } finally {
    store.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'letan-badges-'));
  eventFile = join(dir, 'event.yaml');
  writeFileSync(eventFile, ['id: HN-2025', 'name: { vi: "Đại hội <Hà Nội>", en: "Hanoi Congress" }', 'venue: hall', 'store: event.sqlite', `badge_key: "${KEY_HEX}"`, ''].join('\n'));
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('letan badges (real SQLite store, real files)', () => {
  it('writes a PNG and an SVG per delegate and one printable sheet; each PNG reads back as a valid badge', async () => {
    fillStore([delegate('D-0001', 'Võ Thị Ngọc Thủy', 'C-14'), delegate('D-0002', 'Nguyễn <Văn> An', 'A-1')]);
    const out = join(dir, 'out');
    expect(await run(['--event', eventFile, '--out', out])).toBe(0);
    expect(readdirSync(join(out, 'png')).sort()).toEqual(['D-0001.png', 'D-0002.png']);
    expect(readdirSync(join(out, 'svg')).sort()).toEqual(['D-0001.svg', 'D-0002.svg']);
    expect(readdirSync(out).sort()).toEqual(['badges.html', 'png', 'svg']);
    for (const code of ['D-0001', 'D-0002']) {
      const png = PNG.sync.read(readFileSync(join(out, 'png', `${code}.png`)));
      const text = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? '';
      expect(verifyBadge(text, { eventId: 'HN-2025', key: Buffer.from(KEY_HEX, 'hex') })).toEqual({ ok: true, code });
    }
    const html = readFileSync(join(out, 'badges.html'), 'utf8');
    expect(html).toContain('Võ Thị Ngọc Thủy');
    expect(html).toContain('Nguyễn &#60;Văn&#62; An');
    expect(html).toContain('Ghế C-14 / Seat C-14');
    expect(html).toContain('Đại hội &#60;Hà Nội&#62;');
    expect(console.log).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`wrote 2 badges to ${out}`)));
  });

  it('defaults to <data>/<event id>/badges and replaces an earlier full run', async () => {
    const data = join(dir, 'data');
    vi.stubEnv('LETAN_DATA', data);
    try {
      fillStore([delegate('D-0001', 'A', 'A-1'), delegate('D-0002', 'B', 'A-2')]);
      expect(await run(['--event', eventFile])).toBe(0);
      fillStore([delegate('D-0001', 'A', 'A-1'), delegate('D-0003', 'C', 'A-3')]);
      expect(await run(['--event', eventFile])).toBe(0);
      const out = join(data, 'hn-2025', 'badges');
      expect(readdirSync(join(out, 'png')).sort()).toEqual(['D-0001.png', 'D-0003.png']);
      expect(readdirSync(out).sort()).toEqual(['badges.html', 'png', 'svg']);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('--codes remakes only those badges and keeps the others', async () => {
    fillStore([delegate('D-0001', 'A', 'A-1'), delegate('D-0002', 'B', 'A-2'), delegate('D-0003', 'C', 'A-3')]);
    const out = join(dir, 'out');
    expect(await run(['--event', eventFile, '--out', out])).toBe(0);
    expect(await run(['--event', eventFile, '--out', out, '--codes', 'D-0002, D-0003'])).toBe(0);
    expect(readdirSync(join(out, 'png')).sort()).toEqual(['D-0001.png', 'D-0002.png', 'D-0003.png']);
    const html = readFileSync(join(out, 'badges.html'), 'utf8');
    expect(html.match(/<div class="badge">/g)).toHaveLength(2);
    await expect(run(['--event', eventFile, '--out', out, '--codes', 'D-0002,X-9'])).rejects.toThrow(/--codes: no delegate with code X-9/);
    await expect(run(['--event', eventFile, '--out', out, '--codes', 'd.1'])).rejects.toThrow(/--codes: 'd.1': expected/);
  });

  it('without delegates: exit 2 with a message naming letan import / demo-data, and writes nothing', async () => {
    const out = join(dir, 'out');
    expect(await main(['badges', '--event', eventFile, '--out', out])).toBe(2);
    expect(console.error).toHaveBeenCalledWith(expect.stringMatching(/no delegates in .*event\.sqlite; run 'letan import FILE\.csv --event .*' \(or 'letan demo-data'/));
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, 'event.sqlite'))).toBe(false);

    fillStore([]);
    await expect(run(['--event', eventFile, '--out', out])).rejects.toBeInstanceOf(InputError);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects unknown flags with an InputError', async () => {
    await expect(run(['--evnt', eventFile])).rejects.toThrow(/Unknown option '--evnt'/);
  });
});
