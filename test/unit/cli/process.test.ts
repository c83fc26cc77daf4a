/** The CLI as a real process: from source through tsx, and the installed bin/wsseq.js. */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CHAIN_TRUST,
  NOW,
  PASS_ENV,
  SERVICE_PEM,
  orderEnvelope,
  useCliFixture,
} from './harness.js';

const RUN_TS = fileURLToPath(new URL('../../../src/cli/run.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/wsseq.js', import.meta.url));
const BUILT = existsSync(fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url)));

const cli = useCliFixture();

/** Spawn node in the fixture directory with `args`, extra `env`, and `input` on stdin. */
function node(args: readonly string[], env: Record<string, string> = {}, input = '') {
  const r = spawnSync(process.execPath, args, {
    cwd: cli.dir(),
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('wsseq as a process', () => {
  it('from source (node --import tsx src/cli/run.ts): secure | open --in -', () => {
    // tsx is resolved from the project, not from the fixture directory.
    const entry = ['--import', import.meta.resolve('tsx'), RUN_TS];
    const pfx = ['--pfx', 'client.p12', '--passphrase-env', 'WSSEQ_TEST_PASS'];
    const secured = node(
      [...entry, 'secure', '--in', '-', ...pfx, '--service-cert', 'service.pem', '--now', NOW],
      PASS_ENV,
      orderEnvelope('1.2'),
    );
    expect(secured.stderr).toBe('');
    expect(secured.code).toBe(0);
    const open = [...entry, 'open', '--in', '-', ...CHAIN_TRUST, '--now', NOW];
    const opened = node([...open, ...SERVICE_PEM], {}, secured.stdout);
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toMatchObject({ ok: true, soapVersion: '1.2' });
    // Without the service key the Body cannot be decrypted: exit 1 and the JSON rejection.
    const rejected = node(open, {}, secured.stdout);
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ ok: false, code: 'DecryptionFailed' });
  });

  it.skipIf(!BUILT)(
    'the installed bin/wsseq.js (skipped without dist/: run "npm run build")',
    () => {
      const help = node([BIN, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Usage: wsseq');
      const usage = node([BIN, 'open', '--bogus']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--bogus');
      const secure = ['secure', '--in', 'envelope.xml', '--out', 'bin.xml', '--cert', 'client.pem'];
      const secured = node([BIN, ...secure, '--key', 'client.key', '--sign-only', '--now', NOW]);
      expect(secured.code).toBe(0);
      const opened = node([BIN, 'open', '--in', 'bin.xml', ...CHAIN_TRUST, '--now', NOW]);
      expect(opened.code).toBe(0);
      expect(JSON.parse(opened.stdout)).toMatchObject({ ok: true, encrypted: [] });
    },
  );

  it('bin/wsseq.js is executable', () => {
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
  });
});
