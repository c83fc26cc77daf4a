/**
 * Command-line plumbing shared by the subcommands: strict argument parsing with
 * `node:util` parseArgs, the usage error (exit 2) and checked readers for flag values.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.js';
import { didYouMean } from './suggest.js';

/** Exit codes of the `wsseq` command. */
export const EXIT = Object.freeze({
  /** Done; for `open`, the message was accepted. */
  ok: 0,
  /** `open` rejected the message (the JSON line says why). */
  rejected: 1,
  /** Usage error: unknown or missing flag, bad value, unreadable file, wrong passphrase. */
  usage: 2,
  /** An unexpected failure (a bug): the error is on stderr. */
  internal: 3,
});

/** A subcommand of `wsseq`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly usage: string;
  /** Run with the arguments after the subcommand name; resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/**
 * The command line was wrong: an unknown or missing flag, a bad value, a file that cannot be
 * read, a passphrase that does not open a key. Reported on stderr, exit code 2.
 */
export class UsageError extends Error {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The typed values {@link parseFlags} returns for the flag definitions `O`. */
export type FlagValues<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values'];

/**
 * Parse `args` against `options`: strict (an unknown flag is an error, with the closest known
 * flag suggested), no positionals.
 * @throws UsageError for an unknown flag, a missing value or a positional argument.
 */
export function parseFlags<const O extends OptionsConfig>(
  args: readonly string[],
  options: O,
): FlagValues<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const unknown =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownFlag(args, options) : undefined;
    if (unknown !== undefined) {
      const known = Object.keys(options);
      throw new UsageError(
        `unknown flag ${unknown}${didYouMean(unknown.replace(/^-+/, ''), known, '--')}`,
      );
    }
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** The first argument that looks like a flag and is not one of `options` (values skipped). */
function unknownFlag(args: readonly string[], options: OptionsConfig): string | undefined {
  const byShort = new Map(Object.entries(options).map(([name, o]) => [o.short, name]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') return undefined;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.startsWith('--') ? (arg.slice(2).split('=')[0] ?? '') : byShort.get(arg[1]);
    if (name === undefined || !Object.hasOwn(options, name)) return arg.split('=')[0];
    if (options[name]?.type === 'string' && !arg.includes('=')) i++;
  }
  return undefined;
}

/**
 * The value of a required flag.
 * @throws UsageError when it is missing.
 */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}`);
  return value;
}

/**
 * Check that `value` is one of `allowed`.
 * @throws UsageError naming the allowed values otherwise.
 */
export function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return found;
}

/**
 * A whole, non-negative number of seconds.
 * @throws UsageError otherwise.
 */
export function seconds(value: string, flag: string): number {
  if (!/^\d{1,9}$/.test(value)) {
    throw new UsageError(`--${flag} must be a whole number of seconds (got "${value}")`);
  }
  return Number(value);
}

/**
 * An ISO 8601 instant, for example 2026-06-01T12:00:00Z.
 * @throws UsageError when it does not parse.
 */
export function instant(value: string, flag: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
    ? new Date(value)
    : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UsageError(`--${flag} must be an ISO 8601 instant (got "${value}")`);
  }
  return date;
}

/**
 * Read the file a flag names; `-` reads standard input when `allowStdin`.
 * @throws UsageError when it cannot be read.
 */
export async function readFlagFile(
  io: CliIo,
  flag: string,
  path: string,
  allowStdin = false,
): Promise<Uint8Array> {
  if (path === '-') {
    if (!allowStdin) throw new UsageError(`--${flag} cannot read standard input`);
    return io.readStdin();
  }
  try {
    return await io.readFile(path);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' ? code : 'unreadable';
    throw new UsageError(`cannot read --${flag} ${path} (${reason})`, { cause });
  }
}

/** Read every file a repeatable flag names, in order. */
export function readFlagFiles(
  io: CliIo,
  flag: string,
  paths: readonly string[] | undefined,
): Promise<Uint8Array[]> {
  return Promise.all((paths ?? []).map((p) => readFlagFile(io, flag, p)));
}

/**
 * The passphrase held by the environment variable `--passphrase-env` names (passphrases are
 * never taken from the command line, where `ps` and shell history would show them).
 * @throws UsageError when the variable is not set.
 */
export function passphraseFrom(io: CliIo, variable: string | undefined): string | undefined {
  return variable === undefined ? undefined : secretFrom(io, 'passphrase-env', variable);
}

/**
 * The secret held by the environment variable a `--…-env` flag names.
 * @throws UsageError when the variable is not set.
 */
export function secretFrom(io: CliIo, flag: string, variable: string): string {
  const value = io.env[variable];
  if (value === undefined) {
    throw new UsageError(`--${flag} ${variable}: the environment variable is not set`);
  }
  return value;
}

/**
 * Write `text` to the file `--out` names, or (without it) to standard output with a newline.
 * @throws UsageError when the file cannot be written.
 */
export async function writeOutput(io: CliIo, out: string | undefined, text: string): Promise<void> {
  if (out === undefined) {
    io.stdout(`${text}\n`);
    return;
  }
  try {
    await io.writeFile(out, text);
  } catch (cause) {
    const code = (cause as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' ? code : 'unwritable';
    throw new UsageError(`cannot write --out ${out} (${reason})`, { cause });
  }
}

/**
 * Refuse flags that only make sense with another one.
 * @throws UsageError naming the first flag given without `needs`.
 */
export function onlyWith(flags: object, names: readonly string[], needs: string): void {
  const values = flags as Readonly<Record<string, unknown>>;
  const given = names.find((n) => values[n] !== undefined);
  if (given !== undefined && values[needs] === undefined) {
    throw new UsageError(`--${given} needs --${needs}`);
  }
}

/**
 * Run `load` on configuration input, turning the library's TypeError (misuse: not a key, wrong
 * passphrase, key and certificate that do not match) into a usage error naming the flag.
 */
export function loadOrFail<T>(what: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof TypeError) throw new UsageError(`${what}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * {@link loadOrFail} for key material that may need a passphrase: when none was given, the
 * usage error says so and names `--passphrase-env` (rather than blaming a wrong passphrase).
 */
export function loadKeyOrFail<T>(what: string, passphrase: string | undefined, load: () => T): T {
  try {
    return loadOrFail(what, load);
  } catch (err) {
    if (err instanceof UsageError && passphrase === undefined) {
      throw new UsageError(
        `${err.message} (no passphrase was given: if the key is protected, give ` +
          '--passphrase-env VAR with the passphrase in environment variable VAR)',
        { cause: err },
      );
    }
    throw err;
  }
}

/** Join `items` with commas, wrapped before column `width`, continuation lines indented. */
export function wrapList(items: readonly string[], indent: number, width = 92): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line === '' ? item : `${line}, ${item}`;
    if (indent + next.length > width && line !== '') {
      lines.push(`${line},`);
      line = item;
    } else {
      line = next;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}
