/**
 * The `wsseq` command: dispatch to a subcommand, map failures to exit codes.
 *
 * Exit codes: 0 done (for `open`: accepted), 1 `open` rejected the message, 2 usage error
 * (message on stderr), 3 unexpected failure.
 */
import { readFile } from 'node:fs/promises';
import { EXIT, UsageError } from './args.js';
import type { Command } from './args.js';
import { processIo } from './io.js';
import type { CliIo } from './io.js';
import { openCommand } from './open-command.js';
import { secureCommand } from './secure-command.js';
import { doctorCommand } from './doctor-command.js';
import { pkiCommand } from './pki-command.js';
import { stsCommand } from './sts-command.js';
import { usersCommand } from './users-command.js';
import { consoleCommand } from './console-command.js';
import { queuesCommand } from './queues-command.js';
import { didYouMean } from './suggest.js';

export type { CliIo } from './io.js';
export { EXIT } from './args.js';

const COMMANDS: readonly Command[] = [
  secureCommand,
  openCommand,
  stsCommand,
  usersCommand,
  pkiCommand,
  doctorCommand,
  queuesCommand,
  consoleCommand,
];

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: wsseq <command> [options]

WS-Security message-level security for queued SOAP services.

Commands:
${list}

Run "wsseq <command> --help" for a command's options.
  -h, --help     show this help
  -v, --version  print the version

Exit status: 0 done (open: accepted), 1 open rejected the message, 2 usage error,
3 unexpected failure.
`;
}

const isHelp = (arg: string): boolean => arg === '--help' || arg === '-h';

/**
 * Run the `wsseq` command line in-process and resolve to its exit code. Never throws and
 * never exits the process: failures are written to `io.stderr` (or, for a rejected message,
 * as JSON to `io.stdout`).
 * @param argv the arguments after the program name, e.g. `['open', '--in', 'msg.xml', ...]`.
 * @param io streams, environment and files; each defaults to the real process's.
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const sys: CliIo = { ...processIo(), ...io };
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      sys.stderr(topUsage());
      return EXIT.usage;
    }
    if (isHelp(name) || name === 'help') {
      const command = COMMANDS.find((c) => c.name === rest[0]);
      sys.stdout(command ? command.usage : topUsage());
      return EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      sys.stdout(`${await readVersion()}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const hint = didYouMean(
        name,
        COMMANDS.map((c) => c.name),
      );
      sys.stderr(`wsseq: unknown command "${name}"${hint}\n(see "wsseq --help")\n`);
      return EXIT.usage;
    }
    if (rest.some(isHelp)) {
      sys.stdout(command.usage);
      return EXIT.ok;
    }
    return await command.run(rest, sys);
  } catch (err) {
    if (err instanceof UsageError || err instanceof TypeError) {
      const help = name === undefined ? 'wsseq --help' : `wsseq ${name} --help`;
      sys.stderr(`wsseq: ${err.message}\n(see "${help}")\n`);
      return EXIT.usage;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    sys.stderr(`wsseq: unexpected error: ${detail}\n`);
    return EXIT.internal;
  }
}

/** The package version, from the package.json two levels above this file (src/ or dist/). */
async function readVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  const parsed: unknown = JSON.parse(text);
  const version =
    typeof parsed === 'object' && parsed !== null && 'version' in parsed
      ? parsed.version
      : undefined;
  return typeof version === 'string' ? version : 'unknown';
}
