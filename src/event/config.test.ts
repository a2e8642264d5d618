import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputErrorOf } from '../shared/test-support.ts';
import { loadEventConfig } from './config.ts';

const dir = mkdtempSync(join(tmpdir(), 'letan-event-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function eventFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const minimal = `id: DH-PHUONG-2025
name: { vi: "Đại hội Đảng bộ phường", en: "Ward Party Congress" }
venue: ../venue
badge_key: 00112233445566778899aabbccddeeff
`;

describe('event configuration (event.yaml)', () => {
  it('fills the defaults and resolves paths against the file', () => {
    const config = loadEventConfig(eventFile('ok.yaml', minimal));
    expect(config).toMatchObject({
      id: 'DH-PHUONG-2025',
      venueDir: join(dir, '../venue'),
      storePath: join(dir, 'dh-phuong-2025.sqlite'),
      delegatesCsv: null,
      device: 'robot-1',
      gate: 'A',
      language: 'vi',
      camera: { kind: 'generated', fps: 15, seed: 1 },
      robot: { kind: 'sim', speedMps: 0.8 },
    });
    expect(config.badgeKey.toString('hex')).toBe('00112233445566778899aabbccddeeff');
  });

  it('reads the badge key from the environment when told to', () => {
    process.env.LETAN_TEST_KEY = 'ff'.repeat(16);
    const config = loadEventConfig(eventFile('env.yaml', minimal.replace(/badge_key: .*/, 'badge_key: env:LETAN_TEST_KEY')));
    expect(config.badgeKey.toString('hex')).toBe('ff'.repeat(16));
    delete process.env.LETAN_TEST_KEY;
    expect(inputErrorOf(() => loadEventConfig(join(dir, 'env.yaml'))).message).toContain('environment variable LETAN_TEST_KEY must hold 32–128 hex digits');
  });

  it('names the file and field of a bad value, and refuses unknown fields', () => {
    const short = eventFile('short.yaml', minimal.replace(/badge_key: .*/, 'badge_key: abc'));
    expect(inputErrorOf(() => loadEventConfig(short)).message).toMatch(new RegExp(`^${short}: badge_key: .*32–128 hex digits`));
    const typo = eventFile('typo.yaml', `${minimal}camra: { kind: ffmpeg }\n`);
    expect(inputErrorOf(() => loadEventConfig(typo)).message).toMatch(new RegExp(`^${typo}: `));
    const camera = eventFile('camera.yaml', `${minimal}camera: { kind: ffmpeg }\n`);
    expect(inputErrorOf(() => loadEventConfig(camera)).message).toContain(`${camera}: camera`);
  });

  it('says so when the file is missing or not YAML', () => {
    expect(inputErrorOf(() => loadEventConfig(join(dir, 'nope.yaml'))).message).toBe(`${join(dir, 'nope.yaml')}: event file not found`);
    const broken = eventFile('broken.yaml', 'id: [unclosed\n');
    expect(inputErrorOf(() => loadEventConfig(broken)).message).toContain(`${broken}: not valid YAML`);
  });
});
