/**
 * `wsseq open --profile wcf`: every captured WCF (Mono) message opens from the command line
 * with the service's keys, and the JSON names what was relaxed; without the profile (or the
 * named flags) they are refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLine, useCliFixture } from './harness.js';

const cli = useCliFixture();
const VECTORS = join(import.meta.dirname, '../../vectors/wcf');
const KEYS = join(VECTORS, 'keys');

interface VectorInfo {
  readonly file: string;
  readonly layout: string;
  readonly soap: string;
  readonly receiverTime: string;
}
const vectors = (
  JSON.parse(readFileSync(join(VECTORS, 'vectors.json'), 'utf8')) as { vectors: VectorInfo[] }
).vectors;

const SERVICE = ['--service-pfx', join(KEYS, 'service.pfx'), '--passphrase-env', 'PFX_PASS'];
const ENV = { PFX_PASS: 'test' };

/** users.json with alice's scrypt hash, made by `wsseq users hash`. */
async function usersFile(): Promise<string> {
  const hashed = await cli.run(['users', 'hash', '--password-env', 'PW'], { PW: 'correct horse' });
  expect(hashed.code).toBe(0);
  const hash = hashed.stdout.trim();
  const path = cli.path('wcf-users.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, JSON.stringify([{ username: 'alice', passwordHash: hash }]));
  return path;
}

function openArgs(v: VectorInfo, extra: readonly string[]): string[] {
  return [
    'open',
    '--in',
    join(VECTORS, v.file),
    ...SERVICE,
    '--trust',
    join(KEYS, 'root.pem'),
    '--now',
    v.receiverTime,
    ...extra,
  ];
}

const WCF_RELAXED = [
  'allowInsecureAlgorithms',
  'allowMissingEncodingType',
  'allowMissingValueType',
];

describe('open --profile wcf', () => {
  for (const v of vectors) {
    it(`${v.file} (${v.layout}) opens`, async () => {
      const users = v.layout === 'UserNameForCertificate' ? ['--users', await usersFile()] : [];
      const r = await cli.run(openArgs(v, ['--profile', 'wcf', ...users]), ENV);
      const json = jsonLine(r);
      expect(json).toMatchObject({ ok: true, soapVersion: v.soap, relaxed: WCF_RELAXED });
      expect(json.credential).toBe(users.length > 0 ? 'UserName' : 'Certificate');
      expect(json.body).toContain('widget');
    });
  }

  it("--require-password-type (strict BSP R4201) refuses Mono's untyped Password", async () => {
    const v = vectors.find((x) => x.layout === 'UserNameForCertificate');
    if (!v) throw new Error('no UserNameForCertificate vector');
    const users = ['--users', await usersFile(), '--require-password-type'];
    const json = jsonLine(await cli.run(openArgs(v, ['--profile', 'wcf', ...users]), ENV));
    expect(json.ok).toBe(false);
    expect([json.code, json.cause]).toContain('MalformedMessage');
  });

  it('without the profile, a WCF message is refused', async () => {
    const v = vectors[0];
    if (!v) throw new Error('no vectors');
    const json = jsonLine(await cli.run(openArgs(v, []), ENV));
    expect(json.ok).toBe(false);
    expect(json.relaxed).toBeUndefined();
  });

  it('the named flags do what the profile does', async () => {
    const v = vectors.find((x) => x.layout === 'MutualCertificate11');
    if (!v) throw new Error('no MutualCertificate11 vector');
    const flags = [
      '--allow-insecure',
      '--suite',
      'Basic256',
      '--suite',
      'Basic256Sha256',
      '--allow-missing-encoding-type',
      '--allow-missing-value-type',
    ];
    const json = jsonLine(await cli.run(openArgs(v, flags), ENV));
    expect(json).toMatchObject({ ok: true, relaxed: WCF_RELAXED });
    const missing = flags.filter((f) => f !== '--allow-missing-value-type');
    const refused = jsonLine(await cli.run(openArgs(v, missing), ENV));
    expect(refused).toMatchObject({ ok: false, relaxed: WCF_RELAXED.slice(0, 2) });
  });

  it('--help lists what the profile relaxes; an unknown profile is a usage error', async () => {
    const help = await cli.run(['open', '--help']);
    for (const name of WCF_RELAXED) expect(help.stdout).toContain(name);
    const bad = await cli.run(openArgs(vectors[0]!, ['--profile', 'wsit']), ENV);
    expect(bad.code).toBe(2);
  });
});
