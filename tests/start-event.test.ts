/** `letan start --event FILE` as an organiser runs it: a real process, a real event file, HTTP, clean shutdown. */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/shared/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'letan-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const csv = `code,full_name,title,delegation,seat,photo,language,needs
D-1,Võ Thị Ngọc Thủy,Bí thư Đảng ủy phường,Đảng bộ phường,A-1,,vi,
D-2,Nguyễn Văn An,Chủ tịch UBND phường,Đảng bộ phường,A-2,,vi,
D-3,Trần Minh Đức,Đại biểu,Chi bộ khu phố 3,B-5,,en,wheelchair
`;

function eventYaml(overrides = ''): string {
  return `id: TEST-EVENT
name: { vi: "Đại hội thử", en: "Test congress" }
venue: ${join(repoRoot, 'maps/demo-hall')}
delegates: delegates.csv
store: letan.sqlite
badge_key: 0123456789abcdef0123456789abcdef
voice: { output: wav }
${overrides}`;
}

describe('letan start --event FILE (real process)', () => {
  it('imports the event, serves the kiosk and staff pages on the printed URLs, and stops cleanly on SIGTERM', async () => {
    writeFileSync(join(dir, 'delegates.csv'), csv);
    writeFileSync(join(dir, 'event.yaml'), eventYaml());
    const child = spawn(process.execPath, ['bin/letan.js', 'start', '--event', join(dir, 'event.yaml'), '--port', '0', '--visitors', '0'], { cwd: repoRoot });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!/staff: +http:\/\/\S+/.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no URLs printed:\n${stdout}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(stdout).toContain('imported 3 delegates');
    const kiosk = /kiosk \(robot screen\): (http:\/\/\S+)/.exec(stdout)![1]!;
    const staff = /staff: +(http:\/\/\S+)/.exec(stdout)![1]!;
    expect(await (await fetch(kiosk)).text()).toContain('kiosk.js');
    expect(await (await fetch(staff)).text()).toContain('staff.js');
    const state = (await (await fetch(new URL('/api/state', kiosk))).json()) as { event: { id: string }; presence: unknown; statePath: string[] };
    expect(state.event.id).toBe('TEST-EVENT');
    expect(state.presence).toEqual({ present: 0, total: 3 });
    expect(state.statePath).toEqual(['reception', 'waiting']);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses a bad event file with one line naming the file and field, exit 2', async () => {
    writeFileSync(join(dir, 'bad.yaml'), eventYaml('camera: { kind: ffmpeg }\n'));
    const failure = await promisify(execFile)(process.execPath, ['bin/letan.js', 'start', '--event', join(dir, 'bad.yaml')], { cwd: repoRoot, timeout: 60_000 }).catch(
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim()).toBe(`letan start: ${join(dir, 'bad.yaml')}: camera.input: Expected required property (a V4L2 device (/dev/video0), an rtsp:// URL or a video file)`);
  });
});
