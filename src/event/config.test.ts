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

  it('refuses a misspelt field inside robot, voice and http, naming it', () => {
    const robot = eventFile('robot-typo.yaml', `${minimal}robot: { kind: sim, speed_mp: 0.5 }\n`);
    expect(inputErrorOf(() => loadEventConfig(robot)).message).toMatch(new RegExp(`^${robot}: robot\\.speed_mp: `));
    const voice = eventFile('voice-typo.yaml', `${minimal}voice: { rate: 150 }\n`);
    expect(inputErrorOf(() => loadEventConfig(voice)).message).toMatch(new RegExp(`^${voice}: voice\\.rate: `));
    const http = eventFile('http-typo.yaml', `${minimal}http: { prot: 8081 }\n`);
    expect(inputErrorOf(() => loadEventConfig(http)).message).toMatch(new RegExp(`^${http}: http\\.prot: `));
  });

  it('refuses a badge key with an odd number of hex digits, written or from the environment', () => {
    const odd = eventFile('odd.yaml', minimal.replace(/badge_key: .*/, `badge_key: ${'a'.repeat(33)}`));
    expect(inputErrorOf(() => loadEventConfig(odd)).message).toMatch(new RegExp(`^${odd}: badge_key: .*even count`));
    process.env.LETAN_TEST_ODD_KEY = 'f'.repeat(33);
    try {
      const env = eventFile('odd-env.yaml', minimal.replace(/badge_key: .*/, 'badge_key: env:LETAN_TEST_ODD_KEY'));
      expect(inputErrorOf(() => loadEventConfig(env)).message).toContain('environment variable LETAN_TEST_ODD_KEY must hold 32–128 hex digits (an even count)');
    } finally {
      delete process.env.LETAN_TEST_ODD_KEY;
    }
  });

  it('resolves a relative ffmpeg video file against the event folder, but not URLs, devices or lavfi graphs', () => {
    const input = (name: string, camera: string): string => {
      const config = loadEventConfig(eventFile(name, `${minimal}camera: ${camera}\n`));
      if (config.camera.kind !== 'ffmpeg') throw new Error('expected an ffmpeg camera');
      return config.camera.input;
    };
    expect(input('video.yaml', '{ kind: ffmpeg, input: videos/hall.mp4 }')).toBe(join(dir, 'videos/hall.mp4'));
    expect(input('rtsp.yaml', '{ kind: ffmpeg, input: "rtsp://10.0.0.5/stream" }')).toBe('rtsp://10.0.0.5/stream');
    expect(input('device.yaml', '{ kind: ffmpeg, input: /dev/video0, format: v4l2 }')).toBe('/dev/video0');
    expect(input('lavfi.yaml', '{ kind: ffmpeg, input: "testsrc=size=640x480", format: lavfi }')).toBe('testsrc=size=640x480');
  });

  it("takes the venue's time zone (default Asia/Ho_Chi_Minh) and refuses one that is not an IANA name", () => {
    expect(loadEventConfig(eventFile('tz-default.yaml', minimal)).timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(loadEventConfig(eventFile('tz.yaml', `${minimal}time_zone: Europe/Berlin\n`)).timeZone).toBe('Europe/Berlin');
    const bad = eventFile('tz-bad.yaml', `${minimal}time_zone: Asia/Hanoii\n`);
    expect(inputErrorOf(() => loadEventConfig(bad)).message).toBe(`${bad}: time_zone: Asia/Hanoii: expected an IANA time zone such as 'Asia/Ho_Chi_Minh'`);
  });

  it('keeps face data until the end of biometrics.retain_until in the venue time zone (none by default)', () => {
    expect(loadEventConfig(eventFile('bio-none.yaml', minimal)).biometrics).toBeNull();
    const hanoi = loadEventConfig(eventFile('bio.yaml', `${minimal}biometrics: { retain_until: 2025-12-01 }\n`));
    expect(hanoi.biometrics).toEqual({ retainUntil: '2025-12-01', retainUntilMs: Date.UTC(2025, 11, 1, 17, 0, 0) - 1 }); // UTC+7
    const berlin = loadEventConfig(eventFile('bio-berlin.yaml', `${minimal}time_zone: Europe/Berlin\nbiometrics:\n  retain_until: "2025-07-01"\n`));
    expect(berlin.biometrics?.retainUntilMs).toBe(Date.UTC(2025, 6, 1, 22, 0, 0) - 1); // summer time, UTC+2
    const dst = loadEventConfig(eventFile('bio-dst.yaml', `${minimal}time_zone: Europe/Berlin\nbiometrics: { retain_until: 2025-03-30 }\n`));
    expect(dst.biometrics?.retainUntilMs).toBe(Date.UTC(2025, 2, 30, 22, 0, 0) - 1); // summer time starts that morning: the day ends at UTC+2
    const winter = loadEventConfig(eventFile('bio-winter.yaml', `${minimal}time_zone: Europe/Berlin\nbiometrics: { retain_until: 2025-03-29 }\n`));
    expect(winter.biometrics?.retainUntilMs).toBe(Date.UTC(2025, 2, 29, 23, 0, 0) - 1); // UTC+1
  });

  it('refuses a retain_until that is not a YYYY-MM-DD date, naming the field', () => {
    const noDay = eventFile('bio-bad-day.yaml', `${minimal}biometrics: { retain_until: 2025-02-30 }\n`);
    expect(inputErrorOf(() => loadEventConfig(noDay)).message).toBe(`${noDay}: biometrics.retain_until: 2025-02-30: not a date (expected YYYY-MM-DD)`);
    const format = eventFile('bio-format.yaml', `${minimal}biometrics: { retain_until: 01/12/2025 }\n`);
    expect(inputErrorOf(() => loadEventConfig(format)).message).toMatch(new RegExp(`^${format}: biometrics\\.retain_until: .*YYYY-MM-DD`));
    const typo = eventFile('bio-typo.yaml', `${minimal}biometrics: { retain: 2025-12-01 }\n`);
    expect(inputErrorOf(() => loadEventConfig(typo)).message).toMatch(new RegExp(`^${typo}: biometrics`));
  });

  it('says so when the file is missing or not YAML', () => {
    expect(inputErrorOf(() => loadEventConfig(join(dir, 'nope.yaml'))).message).toBe(`${join(dir, 'nope.yaml')}: event file not found`);
    const broken = eventFile('broken.yaml', 'id: [unclosed\n');
    expect(inputErrorOf(() => loadEventConfig(broken)).message).toContain(`${broken}: not valid YAML`);
  });
});
