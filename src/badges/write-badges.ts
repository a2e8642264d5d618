import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Delegate, PublicDelegate } from '../delegates/types.ts';
import { logger } from '../shared/logger.ts';
import { badgePng, badgeSheetHtml, badgeSvg } from './render.ts';
import { signBadge } from './token.ts';

const log = logger('badges/write');

export interface BadgeEvent {
  readonly id: string;
  readonly name: { readonly vi: string; readonly en: string };
  readonly badgeKey: Buffer;
}

export interface WriteBadgesOptions {
  readonly event: BadgeEvent;
  readonly delegates: readonly Delegate[];
  readonly outDir: string;
  /**
   * 'all' (default): png/ and svg/ become exactly these badges (stale files go).
   * 'merge': these badges' files are added or replaced, the others stay (reprinting a few).
   */
  readonly mode?: 'all' | 'merge';
}

function publicDelegate(d: Delegate): PublicDelegate {
  return { code: d.code, fullName: d.fullName, title: d.title, delegation: d.delegation, seat: d.seat, language: d.language, needs: d.needs };
}

/** Moves `from` to `to`, replacing what is there (a file or a whole folder). */
async function replace(from: string, to: string, trash: string): Promise<void> {
  if (existsSync(to)) await rename(to, trash);
  await rename(from, to);
}

/**
 * Writes `<out>/png/<CODE>.png`, `<out>/svg/<CODE>.svg` and `<out>/badges.html`.
 * Everything is written into a temporary folder inside `<out>` first and renamed into
 * place at the end, so a failure leaves the previous badges as they were.
 */
export async function writeBadges({ event, delegates, outDir, mode = 'all' }: WriteBadgesOptions): Promise<{ count: number; outDir: string; sheet: string }> {
  await mkdir(outDir, { recursive: true });
  const tmp = await mkdtemp(join(outDir, '.badges-tmp-'));
  try {
    await mkdir(join(tmp, 'png'));
    await mkdir(join(tmp, 'svg'));
    const sheet: { delegate: PublicDelegate; svg: string }[] = [];
    for (const d of delegates) {
      const token = signBadge({ eventId: event.id, code: d.code, key: event.badgeKey });
      const svg = await badgeSvg(token);
      await writeFile(join(tmp, 'png', `${d.code}.png`), await badgePng(token));
      await writeFile(join(tmp, 'svg', `${d.code}.svg`), svg);
      sheet.push({ delegate: publicDelegate(d), svg });
    }
    await writeFile(join(tmp, 'badges.html'), badgeSheetHtml(event, sheet));

    await mkdir(join(tmp, 'old'));
    if (mode === 'all') {
      await replace(join(tmp, 'png'), join(outDir, 'png'), join(tmp, 'old', 'png'));
      await replace(join(tmp, 'svg'), join(outDir, 'svg'), join(tmp, 'old', 'svg'));
    } else {
      for (const kind of ['png', 'svg'] as const) {
        await mkdir(join(outDir, kind), { recursive: true });
        for (const d of delegates) await rename(join(tmp, kind, `${d.code}.${kind}`), join(outDir, kind, `${d.code}.${kind}`));
      }
    }
    await replace(join(tmp, 'badges.html'), join(outDir, 'badges.html'), join(tmp, 'old', 'badges.html'));
    log.info({ outDir, count: delegates.length, mode }, 'badges written');
    return { count: delegates.length, outDir, sheet: join(outDir, 'badges.html') };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
