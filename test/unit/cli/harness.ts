/**
 * Running the CLI in-process for tests: captured stdout and stderr, a fixed environment, and
 * relative paths resolved in a temporary directory holding the test PKI (`writeTestPki`) and
 * `envelope.xml`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { TEST_P12_PASSWORD, writeTestPki } from '../../fixtures/pki.js';
import { TEST_NOW, orderEnvelope } from '../../helpers.js';

export { TEST_NOW, TEST_P12_PASSWORD, orderEnvelope };

/** `--now` for every command: the instant the test PKI is valid at. */
export const NOW = TEST_NOW.toISOString();
/** The environment variable holding the .p12 password, for `--passphrase-env`. */
export const PASS_ENV: Readonly<Record<string, string>> = { WSSEQ_TEST_PASS: TEST_P12_PASSWORD };

export const CLIENT_PEM = ['--cert', 'client.pem', '--key', 'client.key'] as const;
export const SERVICE_PEM = ['--service-key', 'service.key', '--service-cert', 'service.pem'];
export const CHAIN_TRUST = ['--trust', 'root.pem', '--intermediate', 'intermediate.pem'];

/** What one CLI run did. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI bound to a temporary directory. */
export interface CliFixture {
  /** The directory's absolute path. */
  readonly dir: () => string;
  /** Absolute path of a file in the directory. */
  readonly path: (name: string) => string;
  /** Run `wsseq argv` in-process. */
  readonly run: (
    argv: readonly string[],
    env?: Record<string, string>,
    stdin?: string,
  ) => Promise<Run>;
  /** Secure envelope.xml into `out` as `creds` (default client.pem/.key); asserts success. */
  readonly secure: (
    out: string,
    extra?: readonly string[],
    creds?: readonly string[],
  ) => Promise<string>;
  /** Open `message` with the service's PEM key and chain trust at NOW, plus `extra`. */
  readonly open: (message: string, extra?: readonly string[]) => Promise<Run>;
}

/** Create the temporary directory before the file's tests and remove it after. */
export function useCliFixture(): CliFixture {
  let dir: string | undefined;
  const base = (): string => {
    if (dir === undefined) throw new Error('the CLI fixture is not set up yet');
    return dir;
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsseq-cli-'));
    await writeTestPki(dir);
    writeFileSync(join(dir, 'envelope.xml'), orderEnvelope());
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const run: CliFixture['run'] = async (argv, env = {}, stdin = '') => {
    let stdout = '';
    let stderr = '';
    const code = await main(argv, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env,
      readFile: (p) => readFile(resolve(base(), p)),
      writeFile: (p, data) => writeFile(resolve(base(), p), data),
      readStdin: () => Promise.resolve(Buffer.from(stdin)),
    });
    return { code, stdout, stderr };
  };

  return {
    dir: base,
    path: (name) => join(base(), name),
    run,
    secure: async (out, extra = [], creds = CLIENT_PEM) => {
      const args = ['secure', '--in', 'envelope.xml', '--out', out, ...creds];
      const r = await run(
        [...args, '--service-cert', 'service.pem', '--now', NOW, ...extra],
        PASS_ENV,
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return join(base(), out);
    },
    open: (message, extra = []) =>
      run(['open', '--in', message, ...SERVICE_PEM, ...CHAIN_TRUST, '--now', NOW, ...extra]),
  };
}

/** The one JSON line `open` printed. */
export function jsonLine(r: Run): Record<string, unknown> {
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}
