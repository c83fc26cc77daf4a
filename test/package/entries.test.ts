/**
 * The package's entry points: the `exports` map and the sources agree, each entry only
 * re-exports, importing the main entry loads no native module, queue or database client, and
 * wsseq leaves the global `Reflect` to reflect-metadata.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from './build.js';

interface Manifest {
  readonly exports: Record<string, string | { readonly types: string; readonly default: string }>;
  readonly dependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
  readonly peerDependenciesMeta: Record<string, { readonly optional?: boolean }>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const paths = (
  JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

const entries = Object.entries(manifest.exports).flatMap(([subpath, target]) =>
  typeof target === 'string' ? [] : [{ name: `wsseq${subpath.slice(1)}`, target }],
);
const distUrl = (target: string): string => pathToFileURL(join(ROOT, target)).href;

function loadedBy(entry: string): { packages: string[]; addons: string[] } {
  const script = join(ROOT, 'test', 'package', 'fixtures', 'loaded-packages.mjs');
  const out = execFileSync(process.execPath, [script, entry], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as { packages: string[]; addons: string[] };
}

/** The heavy or native dependencies, each needed only by its own subpath. */
const HEAVY = ['better-sqlite3', 'amqplib', 'ioredis', 'node-forge', 'jsonwebtoken'];

describe('package entries', () => {
  beforeAll(() => {
    ensureBuilt();
  }, 180_000);

  it('maps every subpath export to an entry module that only re-exports', () => {
    expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(paths).sort());
    for (const { name, target } of entries) {
      const source = paths[name]?.[0];
      expect(source, name).toBeDefined();
      expect(target.default).toBe(source?.replace('./src/', './dist/').replace(/\.ts$/, '.js'));
      expect(target.types).toBe(target.default.replace(/\.js$/, '.d.ts'));
      const code = readFileSync(join(ROOT, source ?? ''), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      // Only `export [type] { ... } from '...';` statements.
      const statements = code
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const statement of statements) {
        expect(statement, `${name}: ${statement}`).toMatch(
          /^export (type )?\{[^}]*\} from '\.\.?\/[^']+\.js'$/,
        );
      }
    }
  });

  it('makes the queue and database clients optional peers, not dependencies', () => {
    for (const name of ['better-sqlite3', 'amqplib', 'ioredis']) {
      expect(manifest.dependencies[name], name).toBeUndefined();
      expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true);
    }
    // better-sqlite3 13 needs Node 22 (on Node 20 it crashes the process): 12 stays allowed.
    expect(manifest.peerDependencies['better-sqlite3']).toMatch(/\^12/);
  });

  it('loads no native module, queue, database or token library from the main entry', () => {
    const main = entries.find((e) => e.name === 'wsseq');
    const loaded = loadedBy(distUrl(main?.target.default ?? ''));
    expect(loaded.addons).toEqual([]);
    for (const name of HEAVY) expect(loaded.packages, name).not.toContain(name);
    // The probe does see what an entry loads: the SQLite queue entry loads better-sqlite3.
    const sqlite = entries.find((e) => e.name === 'wsseq/queue/sqlite');
    expect(loadedBy(distUrl(sqlite?.target.default ?? '')).packages).toContain('better-sqlite3');
  }, 60_000);

  it.each([
    ['wsseq/host', []],
    ['wsseq/wsdl', []],
    ['wsseq/dev', ['node-forge']],
    ['wsseq/replay/redis', []],
    ['wsseq/queue/rabbitmq', ['amqplib']],
  ])(
    '%s loads only the heavy dependencies it needs',
    (name, allowed: string[]) => {
      const entry = entries.find((e) => e.name === name);
      const loaded = loadedBy(distUrl(entry?.target.default ?? ''));
      expect(loaded.addons).toEqual([]);
      expect(loaded.packages.filter((p) => HEAVY.includes(p))).toEqual(
        allowed.filter((p) => loaded.packages.includes(p)),
      );
    },
    60_000,
  );

  it('leaves Reflect to reflect-metadata imported after wsseq', () => {
    const main = entries.find((e) => e.name === 'wsseq');
    const dev = entries.find((e) => e.name === 'wsseq/dev');
    const script = join(ROOT, 'test', 'package', 'fixtures', 'reflect-after-wsseq.mjs');
    const out = execFileSync(
      process.execPath,
      [script, distUrl(main?.target.default ?? ''), distUrl(dev?.target.default ?? '')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({
      ownKeys: ['own'],
      inheritedKeys: ['role'],
      has: true,
      hasOwn: false,
      decorated: true,
      deleted: true,
      certificate: true,
    });
  }, 60_000);
});
