/**
 * The packed tarball in a fresh consumer project: `strict`, `skipLibCheck: false`, the latest
 * @types/node; every subpath import compiles, and both an ES module and a CommonJS module
 * (Node 20.19+ require(esm)) run against it. npm installs from its cache where it can.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './build.js';

const FIXTURES = join(ROOT, 'test', 'package', 'consumer');
let project: string;

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { cwd: project, encoding: 'utf8', stdio: 'pipe' });
}

describe('a consumer project using the packed tarball', () => {
  beforeAll(() => {
    ensureBuilt();
    project = mkdtempSync(join(tmpdir(), 'wsseq-consumer-'));
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', project], {
      cwd: ROOT,
      stdio: 'ignore',
    });
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error('npm pack wrote no tarball');
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    for (const file of ['tsconfig.json', 'esm.mts', 'cjs.cts']) {
      copyFileSync(join(FIXTURES, file), join(project, file));
    }
    copyFileSync(join(ROOT, 'wsdl', 'order-service.wsdl'), join(project, 'contract.wsdl'));
    run('npm', [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `./${tarball}`,
      '@types/node@latest',
    ]);
  }, 180_000);

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('compiles every subpath import under strict, without skipLibCheck', () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    // Throws (with the compiler's diagnostics) on any error.
    run(process.execPath, [tsc, '-p', 'tsconfig.json']);
  }, 120_000);

  it('runs as an ES module', () => {
    copyFileSync(join(project, 'contract.wsdl'), join(project, 'out', 'contract.wsdl'));
    const out = JSON.parse(run(process.execPath, ['out/esm.mjs'])) as Record<string, unknown>;
    expect(out.name).toMatch(/CN=/);
    expect(out.rejected).toBe('CertificateUntrusted');
    expect(out.functions).toEqual(['function', 'function', 'function', 'function']);
    expect(out.wsdl).toBe('object');
  }, 60_000);

  it('runs as CommonJS through require()', () => {
    const out = JSON.parse(run(process.execPath, ['out/cjs.cjs'])) as Record<string, unknown>;
    expect(out).toEqual({ cn: expect.any(String) as string, sameClass: true, keys: true });
    const required = run(process.execPath, [
      '-e',
      "const w = require('wsseq'); const h = require('wsseq/host'); " +
        'console.log(typeof w.createOpener, typeof h.createService)',
    ]);
    expect(required.trim()).toBe('function function');
  }, 60_000);

  it('names the missing optional peer when a subpath needs one', () => {
    let code: unknown;
    try {
      run(process.execPath, ['-e', "import('wsseq/queue/sqlite')"]);
    } catch (err) {
      code = (err as { stderr?: string }).stderr;
    }
    expect(String(code)).toMatch(/better-sqlite3/);
  });
});
