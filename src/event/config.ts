import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import YAML from 'yaml';
import { InputError } from '../shared/errors.ts';
import { dataDir, repoRoot } from '../shared/paths.ts';

/**
 * An event's configuration (event.yaml). `letan start --event FILE` reads one;
 * without a file the demo event's defaults apply. Relative paths resolve against the file's folder.
 */
const Lang = Type.Union([Type.Literal('vi'), Type.Literal('en')]);

/** A badge key in hex: 16–64 whole bytes (an odd digit count would silently lose a nibble). */
const badgeKeyHex = '([0-9a-fA-F]{2}){16,64}';

/** The venue's time zone when the event file names none. */
export const defaultTimeZone = 'Asia/Ho_Chi_Minh';

/** The camera variants by `kind` (validated one by one so errors can name the right fields). */
const CameraKinds = {
  generated: Type.Object(
    { kind: Type.Literal('generated'), fps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 60 })), seed: Type.Optional(Type.Integer()) },
    { additionalProperties: false },
  ),
  ffmpeg: Type.Object(
    {
      kind: Type.Literal('ffmpeg'),
      input: Type.String({ minLength: 1, description: 'a V4L2 device (/dev/video0), an rtsp:// URL or a video file' }),
      format: Type.Optional(Type.String()),
      width: Type.Optional(Type.Integer({ minimum: 16 })),
      height: Type.Optional(Type.Integer({ minimum: 16 })),
    },
    { additionalProperties: false },
  ),
  folder: Type.Object(
    { kind: Type.Literal('folder'), dir: Type.String({ minLength: 1, description: 'a folder of PNG images' }), fps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
    { additionalProperties: false },
  ),
} as const;

export const EventFile = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Z0-9-]{1,16}$', description: 'event id: 1–16 of A–Z, 0–9, -' }),
    name: Type.Object({ vi: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) }),
    venue: Type.String({ minLength: 1, description: 'folder with venue.json' }),
    store: Type.Optional(Type.String({ minLength: 1, description: 'SQLite file' })),
    delegates: Type.Optional(Type.String({ minLength: 1, description: 'delegates CSV imported at start when the store is empty' })),
    badge_key: Type.String({ pattern: `^(env:[A-Z_][A-Z0-9_]*|${badgeKeyHex})$`, description: '32–128 hex digits (whole bytes: an even count), or env:VAR' }),
    device: Type.Optional(Type.String({ minLength: 1 })),
    gate: Type.Optional(Type.String({ minLength: 1 })),
    language: Type.Optional(Lang),
    time_zone: Type.Optional(Type.String({ minLength: 1, description: "an IANA time zone such as 'Asia/Ho_Chi_Minh'" })),
    quorum: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    camera: Type.Optional(Type.Union(Object.values(CameraKinds))),
    robot: Type.Optional(
      Type.Object(
        {
          kind: Type.Literal('sim'),
          speed_mps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2 })),
          escort_speed_mps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2 })),
          radius_m: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    voice: Type.Optional(
      Type.Object(
        {
          vi: Type.Optional(Type.String()),
          en: Type.Optional(Type.String()),
          rate_wpm: Type.Optional(Type.Integer({ minimum: 80, maximum: 400 })),
          output: Type.Optional(Type.Union([Type.Literal('device'), Type.Literal('wav')])),
        },
        { additionalProperties: false },
      ),
    ),
    http: Type.Optional(
      Type.Object({ host: Type.Optional(Type.String()), port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })) }, { additionalProperties: false }),
    ),
    biometrics: Type.Optional(
      Type.Object(
        {
          retain_until: Type.String({
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
            description: 'a date YYYY-MM-DD: face data may be kept until the end of that day (venue time zone), then letan purge --biometrics',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type EventFile = Static<typeof EventFile>;

export type CameraConfig =
  | { readonly kind: 'generated'; readonly fps: number; readonly seed: number }
  | { readonly kind: 'ffmpeg'; readonly input: string; readonly format?: string; readonly width: number; readonly height: number }
  | { readonly kind: 'folder'; readonly dir: string; readonly fps: number };

/** The resolved configuration: every default filled in, every path absolute. */
export interface EventConfig {
  readonly id: string;
  readonly name: { readonly vi: string; readonly en: string };
  /** The event.yaml it came from; null for the built-in demo event. */
  readonly file: string | null;
  readonly venueDir: string;
  readonly storePath: string;
  readonly delegatesCsv: string | null;
  /** HMAC key for badge tokens (DESIGN.md, Badge QR). */
  readonly badgeKey: Buffer;
  readonly device: string;
  readonly gate: string;
  readonly language: 'vi' | 'en';
  /** IANA time zone of the venue: spoken and shown times of day (default defaultTimeZone). */
  readonly timeZone: string;
  readonly quorum: number;
  readonly camera: CameraConfig;
  readonly robot: { readonly kind: 'sim'; readonly speedMps: number; readonly escortSpeedMps: number; readonly radiusM: number };
  readonly voice: { readonly vi: string; readonly en: string; readonly rateWpm: number; readonly output: 'device' | 'wav' };
  readonly http: { readonly host: string; readonly port: number };
  /**
   * How long face data may be kept (biometrics.retain_until), or null when the event sets no
   * date. retainUntilMs is the last millisecond of that day in `timeZone`.
   */
  readonly biometrics: { readonly retainUntil: string; readonly retainUntilMs: number } | null;
}

/** The demo event's badge key: public by design, for demos only. */
export const DEMO_BADGE_KEY_HEX = '6c6574616e2d64656d6f2d6f6e6c792d6e6f742d666f722d7265616c2d7573652d3230323521';

/** Built-in demo event: demo hall, generated delegates under data/demo/. */
export function demoEventFile(): EventFile {
  return {
    id: 'DEMO',
    name: { vi: 'Đại hội Đảng bộ phường Minh Khai (mô phỏng)', en: 'Minh Khai Ward Party Congress (demo)' },
    venue: resolve(repoRoot, 'maps/demo-hall'),
    store: resolve(dataDir(), 'demo/letan.sqlite'),
    delegates: resolve(dataDir(), 'demo/delegates.csv'),
    badge_key: DEMO_BADGE_KEY_HEX,
  };
}

/** Reads and validates `file` (or the demo event when undefined). Throws InputError naming the field. */
export function loadEventConfig(file?: string): EventConfig {
  if (file === undefined) return resolveEvent(demoEventFile(), null);
  const path = resolve(file);
  if (!existsSync(path)) throw new InputError(`${path}: event file not found`);
  let raw: unknown;
  try {
    raw = YAML.parse(readFileSync(path, 'utf8'));
  } catch (err: unknown) {
    throw new InputError(`${path}: not valid YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  // The camera block is checked against the variant its kind names: clearer than "expected union value".
  const all = [...cameraProblems(raw), ...[...Value.Errors(EventFile, raw)].filter((e) => !e.path.startsWith('/camera'))];
  const errors = all.filter((e, i) => all.findIndex((o) => o.path === e.path) === i); // the first problem of each field
  const describe = (e: ValueError): string =>
    `${e.path.replace(/^\//, '').replaceAll('/', '.') || '(top level)'}: ${e.message}${e.schema.description ? ` (${String(e.schema.description)})` : ''}`;
  if (errors.length > 0) {
    throw new InputError(`${path}: ${describe(errors[0]!)}`, errors.length > 1 ? errors.slice(1).map(describe) : []);
  }
  return resolveEvent(raw as EventFile, path);
}

/** Errors of the `camera` block against the variant its `kind` names (or of `kind` itself). */
function cameraProblems(raw: unknown): ValueError[] {
  const camera: unknown = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).camera : undefined;
  if (camera === undefined) return [];
  const kind: unknown = camera && typeof camera === 'object' ? (camera as Record<string, unknown>).kind : undefined;
  const variant = typeof kind === 'string' && Object.hasOwn(CameraKinds, kind) ? CameraKinds[kind as keyof typeof CameraKinds] : undefined;
  if (!variant) {
    const kinds = Type.String({ description: `one of ${Object.keys(CameraKinds).join(', ')}` });
    return [{ type: ValueErrorType.String, schema: kinds, path: '/camera/kind', value: kind, message: 'Expected a camera kind', errors: [] }];
  }
  return [...Value.Errors(variant, camera)].map((e) => ({ ...e, path: `/camera${e.path}` }));
}

function resolveEvent(f: EventFile, file: string | null): EventConfig {
  const base = file ? dirname(file) : repoRoot;
  const at = (p: string): string => resolve(base, p);
  let keyHex = f.badge_key;
  if (keyHex.startsWith('env:')) {
    const name = keyHex.slice(4);
    keyHex = process.env[name] ?? '';
    if (!new RegExp(`^${badgeKeyHex}$`).test(keyHex)) {
      throw new InputError(`${file ?? 'demo event'}: badge_key: environment variable ${name} must hold 32–128 hex digits (an even count)`);
    }
  }
  const timeZone = f.time_zone ?? defaultTimeZone;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
  } catch {
    throw new InputError(`${file ?? 'demo event'}: time_zone: ${timeZone}: expected an IANA time zone such as '${defaultTimeZone}'`);
  }
  const camera = f.camera ?? { kind: 'generated' as const };
  return {
    id: f.id,
    name: f.name,
    file,
    venueDir: at(f.venue),
    storePath: at(f.store ?? `${f.id.toLowerCase()}.sqlite`),
    delegatesCsv: f.delegates ? at(f.delegates) : null,
    badgeKey: Buffer.from(keyHex, 'hex'),
    device: f.device ?? 'robot-1',
    gate: f.gate ?? 'A',
    language: f.language ?? 'vi',
    timeZone,
    quorum: f.quorum ?? 2 / 3,
    camera:
      camera.kind === 'generated'
        ? { kind: 'generated', fps: camera.fps ?? 15, seed: camera.seed ?? 1 }
        : camera.kind === 'ffmpeg'
          ? { kind: 'ffmpeg', input: ffmpegInput(camera.input, camera.format, at), ...(camera.format ? { format: camera.format } : {}), width: camera.width ?? 640, height: camera.height ?? 480 }
          : { kind: 'folder', dir: at(camera.dir), fps: camera.fps ?? 5 },
    robot: { kind: 'sim', speedMps: f.robot?.speed_mps ?? 0.8, escortSpeedMps: f.robot?.escort_speed_mps ?? 0.6, radiusM: f.robot?.radius_m ?? 0.3 },
    voice: { vi: f.voice?.vi ?? 'vi', en: f.voice?.en ?? 'en-us', rateWpm: f.voice?.rate_wpm ?? 165, output: f.voice?.output ?? 'device' },
    http: { host: f.http?.host ?? '127.0.0.1', port: f.http?.port ?? 8080 },
    biometrics: f.biometrics ? { retainUntil: f.biometrics.retain_until, retainUntilMs: endOfDayMs(f.biometrics.retain_until, timeZone, file) } : null,
  };
}

/** The last millisecond of `date` (YYYY-MM-DD, already pattern-checked) in `timeZone`; InputError for a date that does not exist. */
function endOfDayMs(date: string, timeZone: string, file: string | null): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) {
    throw new InputError(`${file ?? 'demo event'}: biometrics.retain_until: ${date}: not a date (expected YYYY-MM-DD)`);
  }
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return zonedTimeToEpochMs({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, timeZone) - 1;
}

/** A wall-clock time at the venue (month 1–12). */
export interface ZonedTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
  readonly ms?: number;
}

/**
 * The instant a wall clock in `timeZone` (IANA) shows `t`. In a daylight-saving gap or
 * overlap it picks the instant with the offset in force just after the change.
 */
export function zonedTimeToEpochMs(t: ZonedTime, timeZone: string): number {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour ?? 0, t.minute ?? 0, t.second ?? 0, t.ms ?? 0);
  const first = asUtc - zoneOffsetMs(asUtc, timeZone);
  return asUtc - zoneOffsetMs(first, timeZone);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `atMs`. */
function zoneOffsetMs(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(atMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(atMs / 1000) * 1000;
}

/** ffmpeg input formats whose input names a device, a filter graph or a stream, never a file. */
const nonFileFormats = new Set(['lavfi', 'v4l2', 'video4linux2', 'x11grab', 'avfoundation', 'dshow', 'gdigrab', 'pulse', 'alsa', 'fbdev', 'kmsgrab', 'decklink', 'rtsp']);

/**
 * An ffmpeg camera input as ffmpeg gets it: URLs (rtsp://, http://, …), absolute paths
 * (/dev/video0) and the inputs of device or filter formats (lavfi graphs) stay as
 * written; a relative file path resolves against the event file's folder like every other path.
 */
function ffmpegInput(input: string, format: string | undefined, at: (p: string) => string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(input) || isAbsolute(input)) return input;
  if (format !== undefined && nonFileFormats.has(format)) return input;
  return at(input);
}
