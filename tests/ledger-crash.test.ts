import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../src/attendance/ledger.ts';
import { demoDelegates, seatsFrontToBack } from '../src/delegates/demo-data.ts';
import { DelegateRepository } from '../src/delegates/repository.ts';
import { scaledClock } from '../src/shared/clock.ts';
import { repoRoot } from '../src/shared/paths.ts';
import { openStore } from '../src/store/sqlite-store.ts';
import { smallVenue } from './fixtures/delegates/small-venue.ts';

const burstScript = resolve(repoRoot, 'tests/fixtures/delegates/ledger-burst.ts');
const burstSize = 300;
const killAfterAcks = 120;

/** Runs the burst child, SIGKILLs it after `killAfter` ACKs; resolves with the acknowledged ids. */
function burstUntilKilled(storePath: string, prefix: string, killAfter: number): Promise<{ acked: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', burstScript, storePath, prefix, String(burstSize), '5'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('ACK ')) return;
      acked.push(line.slice(4));
      if (acked.length === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`burst child ended with code ${code} before the kill: ${stderr}`));
      else resolvePromise({ acked, signal });
    });
  });
}

describe('ledger across a crash (kill -9 of a real child process)', () => {
  let dir: string;
  let storePath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'letan-crash-'));
    storePath = join(dir, 'letan.sqlite');
    const store = openStore(storePath);
    new DelegateRepository(store.db).replaceAll(demoDelegates(seatsFrontToBack(smallVenue(15, 25)), burstSize));
    store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged check-in, doubles none, and a replay of the burst adds nothing twice', async () => {
    const { acked } = await burstUntilKilled(storePath, 'burst', killAfterAcks);
    // The kill lands while the child is still checking in (it pauses between check-ins).
    expect(acked.length).toBeGreaterThanOrEqual(killAfterAcks);
    expect(acked.length).toBeLessThan(burstSize);

    const store = openStore(storePath);
    try {
      const ledger = new Ledger(store.db, scaledClock(1));
      const stored = store.db.prepare<[], { id: string; code: string }>('SELECT id, code FROM checkins ORDER BY rowid').all();
      const storedIds = new Set(stored.map((r) => r.id));
      for (const id of acked) expect(storedIds.has(id), `acknowledged ${id} is in the store`).toBe(true);
      // At most the one check-in in flight at the kill may be stored without its ACK.
      expect(stored.length - acked.length).toBeLessThanOrEqual(1);
      expect(new Set(stored.map((r) => r.code)).size).toBe(stored.length);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');

      // The device replays the whole burst with the same ids after the restart.
      const replay = (): { replayed: number; fresh: number } => {
        let replayed = 0;
        let fresh = 0;
        for (let n = 1; n <= burstSize; n++) {
          const r = ledger.checkIn({ id: `burst-${n}`, code: `D-${String(n).padStart(4, '0')}`, source: 'badge', device: 'robot-crash', gate: 'A', confidence: 1 });
          expect(r.status).toBe('checked-in');
          if (r.status !== 'checked-in') continue;
          if (r.replayed) replayed++;
          else fresh++;
        }
        return { replayed, fresh };
      };
      expect(replay()).toEqual({ replayed: stored.length, fresh: burstSize - stored.length });
      expect(replay()).toEqual({ replayed: burstSize, fresh: 0 });
      expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkins').get()!.n).toBe(burstSize);
      expect(store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM checkin_attempts').get()!.n).toBe(0);
      expect(ledger.presence()).toEqual({ present: burstSize, total: burstSize });
    } finally {
      store.close();
    }
  });
});
