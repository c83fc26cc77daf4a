/**
 * Issue 9 item 11: `wsseq pki init` misuse is a clear usage error (exit 2) that writes nothing:
 * DIR an existing file, a foreign directory holding PKI file names, a negative or fractional
 * duration, a missing parent directory (created only with --parents).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initDevelopmentPki } from '../../../src/pki/init.js';
import { useCliFixture } from '../cli/harness.js';

const cli = useCliFixture();
const dir = mkdtempSync(join(tmpdir(), 'wsseq-pki-misuse-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('wsseq pki init misuse', () => {
  it('DIR is an existing file: exit 2, the file untouched, even with --force', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    for (const extra of [[], ['--force']]) {
      const r = await cli.run(['pki', 'init', file, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(file);
    }
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('a directory with PKI file names but no README.txt: exit 2 without --force, nothing overwritten', async () => {
    const foreign = join(dir, 'foreign');
    await cli.run(['pki', 'init', foreign, '--client', 'carol']);
    rmSync(join(foreign, 'README.txt'));
    writeFileSync(join(foreign, 'service.key'), 'mine');
    const r = await cli.run(['pki', 'init', foreign, '--client', 'carol']);
    expect(r.code).toBe(2);
    expect(readFileSync(join(foreign, 'service.key'), 'utf8')).toBe('mine');
    const forced = await cli.run(['pki', 'init', foreign, '--client', 'carol', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(foreign, 'service.key'), 'utf8')).toContain('PRIVATE KEY');
  });

  it('negative, zero and fractional --days: exit 2 naming --days, nothing written', async () => {
    for (const days of [['--days', '-5'], ['--days=-1'], ['--days', '0'], ['--days', '1.5']]) {
      const target = join(dir, `days${days.join('')}`);
      const r = await cli.run(['pki', 'init', target, ...days]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--days');
      expect(existsSync(target)).toBe(false);
    }
  });

  it('a missing parent directory: exit 2 and nothing created; --parents creates it', async () => {
    const target = join(dir, 'a', 'b', 'pki');
    const r = await cli.run(['pki', 'init', target, '--client', 'carol']);
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    const ok = await cli.run(['pki', 'init', target, '--client', 'carol', '--parents']);
    expect(ok.code).toBe(0);
    expect(existsSync(join(target, 'README.txt'))).toBe(true);
  });

  it('the library: a TypeError for a file, a missing parent, a bad option', async () => {
    const file = join(dir, 'file.txt');
    writeFileSync(file, '');
    await expect(initDevelopmentPki(file, { clients: [] })).rejects.toBeInstanceOf(TypeError);
    await expect(
      initDevelopmentPki(join(dir, 'missing', 'pki'), { clients: [] }),
    ).rejects.toBeInstanceOf(TypeError);
    await expect(initDevelopmentPki(join(dir, 'z'), { validityDays: -1 })).rejects.toMatchObject({
      option: 'options.validityDays',
    });
    await expect(
      initDevelopmentPki(join(dir, 'z'), { forse: true } as never),
    ).rejects.toMatchObject({ option: 'options.forse' });
    expect(existsSync(join(dir, 'z'))).toBe(false);
  });
});
