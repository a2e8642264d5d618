import { InputError, errorText } from '../shared/errors.ts';

/** A command module: `run` returns the process exit code. */
export interface Command {
  run(args: string[]): Promise<number>;
}

/** The command line (DESIGN.md, Command line). Each command loads lazily. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: 'run the controller (demo event unless --event FILE); prints kiosk and staff URLs', load: () => import('./commands/start.ts') },
  demo: { summary: 'N arrivals headless in accelerated time: demo --arrivals N [--json]', load: () => import('./commands/demo.ts') },
  'demo-data': { summary: 'write the deterministic demo event (449 delegates) and import it', load: () => import('./commands/demo-data.ts') },
  import: { summary: 'import delegates: import FILE.csv [--event FILE]', load: () => import('./commands/import.ts') },
  badges: { summary: 'signed QR badges (PNG, SVG) and a printable sheet: badges [--out DIR]', load: () => import('./commands/badges.ts') },
  revoke: { summary: 'revoke a lost badge: revoke CODE --reason TEXT', load: () => import('./commands/revoke.ts') },
  map: { summary: 'generate a venue map from its description: map build DESCRIPTION.yaml', load: () => import('./commands/map.ts') },
  faces: { summary: 'face check-in gallery: faces enroll DIR | faces audit (faces --help)', load: () => import('./commands/faces.ts') },
  purge: { summary: 'delete all face data, with a receipt: purge --biometrics [--yes]', load: () => import('./commands/purge.ts') },
  bench: { summary: 'benchmarks: bench qr|checkin|nav [--json]', load: () => import('./commands/bench.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return ['usage: letan <command> [options]', '', ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`letan: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest);
  } catch (err: unknown) {
    if (err instanceof InputError) {
      console.error(`letan ${name}: ${err.message}`);
      for (const p of err.problems) console.error(`  ${p}`);
      return 2;
    }
    console.error(`letan ${name}: ${errorText(err)}`);
    if (process.env.LETAN_DEBUG) console.error(err);
    return 1;
  }
}
