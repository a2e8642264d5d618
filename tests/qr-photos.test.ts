import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeQr } from '../src/perception/qr-decode.ts';
import { benchmarkSet } from '../src/shared/paths.ts';

const set = benchmarkSet('qr');
const casesDir = join(set.path, 'cases');
const present = existsSync(casesDir);
if (!present) console.warn(`tests/qr-photos: skipped: no QR benchmark set at ${casesDir} (set LETAN_SHARED)`);

describe('decodeQr on the 254 real photos of benchmarks/qr', () => {
  it.skipIf(!present)('reads at least what jsQR alone reads, and never a wrong text', () => {
    let verified = 0;
    const wrong: string[] = [];
    for (const name of readdirSync(casesDir)) {
      const pngFile = join(casesDir, name, 'input.png');
      if (!existsSync(pngFile)) continue;
      const expected = JSON.parse(readFileSync(join(casesDir, name, 'output.json'), 'utf8')) as { data: string } | null;
      if (expected === null) continue;
      const png = PNG.sync.read(readFileSync(pngFile));
      // A generous deadline: this is a correctness floor, not a timing (see `letan bench qr`).
      const result = decodeQr({ width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data) }, { deadlineMs: 5000 });
      if (result === null) continue;
      if (result.text === expected.data) verified++;
      else wrong.push(`${name}: ${JSON.stringify(result.text.slice(0, 40))} by ${result.strategy}`);
    }
    expect(wrong).toEqual([]);
    expect(verified).toBeGreaterThanOrEqual(214);
  }, 120_000);
});
