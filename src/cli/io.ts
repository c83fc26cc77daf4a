/**
 * What the command line touches of the outside world, passed in so tests can run the CLI
 * in-process with captured output and a fixed environment.
 */
import { readFile, writeFile } from 'node:fs/promises';

/** The streams, environment and files a CLI run uses. */
export interface CliIo {
  /** Write text to standard output. */
  readonly stdout: (text: string) => void;
  /** Write text to standard error. */
  readonly stderr: (text: string) => void;
  /** Environment variables (read for `--passphrase-env`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Read a whole file. */
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Write a whole file (created or replaced). */
  readonly writeFile: (path: string, data: string) => Promise<void>;
  /** Read standard input to its end (for `--in -`). */
  readonly readStdin: () => Promise<Uint8Array>;
}

/** The real process: its stdout, stderr, environment, file system and stdin. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readFile: (path) => readFile(path),
    writeFile: (path, data) => writeFile(path, data),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) {
        chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      }
      return Buffer.concat(chunks);
    },
  };
}

/**
 * Whether to colour output: only on a terminal, never when `NO_COLOR` is set to anything but
 * the empty string (https://no-color.org) or `TERM` is `dumb`.
 */
export function shouldUseColor(
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean | undefined,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}
