/** initDevelopmentPki writes loadable files that validate against their own root. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPem, loadPfx } from '../../../src/credentials/key-material.js';
import { diagnoseCertificate, isCertificateUsable } from '../../../src/doctor/diagnose.js';
import { initDevelopmentPki } from '../../../src/pki/init.js';
import type { InitDevelopmentPkiResult } from '../../../src/pki/init.js';
import { Certificate } from '../../../src/trust/certificate.js';
import { describeIdentity } from '../../../src/trust/identity.js';
import { TrustStore } from '../../../src/trust/validate.js';

let dir: string;
let pki: InitDevelopmentPkiResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsseq-pki-init-'));
  pki = await initDevelopmentPki(join(dir, 'pki'), {
    serviceDnsNames: ['service.example', 'localhost'],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = (name: string) => readFile(join(pki.dir, name));
const file = (name: string): string => {
  const p = pki.files[name];
  if (p === undefined) throw new Error(`no file ${name}`);
  return p;
};

describe('initDevelopmentPki', () => {
  it('writes the CA, service and client certificates as PEM and PFX, and a README', async () => {
    expect(pki.created).toBe(true);
    for (const name of [
      'README.txt',
      'root-ca.pem',
      'intermediate-ca.pem',
      'ca-chain.pem',
      'service.pfx',
      'client-alice.pfx',
      'client-bob.key',
      'crl-intermediate.pem',
    ]) {
      expect((await stat(file(name))).size).toBeGreaterThan(0);
    }
    expect((await read('README.txt')).toString()).toMatch(/FOR DEVELOPMENT ONLY/);
    expect((await stat(file('client-alice.key'))).mode & 0o077).toBe(0);
  });

  it('the files load (loadPem, loadPfx) and validate against its own root', async () => {
    const root = Certificate.fromPem((await read('root-ca.pem')).toString());
    const crls = [
      (await read('crl-root.pem')).toString(),
      (await read('crl-intermediate.pem')).toString(),
    ];
    const store = new TrustStore({ trustedRoots: [root], revocationMode: 'Offline', crls });
    const alice = loadPfx(await read('client-alice.pfx'), pki.pfxPassphrase);
    expect(alice.chain).toHaveLength(2);
    const validated = await store.validate(alice.certificate, alice.chain, new Date(), 'client');
    expect(validated.chain).toHaveLength(3);
    expect(describeIdentity(alice.certificate)).toMatchObject({
      commonName: 'alice',
      emails: ['alice@example.com'],
      upns: ['alice@wsseq.local'],
    });

    const service = loadPem({
      certificate: await read('service.pem'),
      privateKey: await read('service.key'),
      chain: await read('ca-chain.pem'),
    });
    await store.validate(service.certificate, service.chain, new Date(), 'service');
    expect(describeIdentity(service.certificate).dnsNames).toEqual([
      'service.example',
      'localhost',
    ]);
    const findings = await diagnoseCertificate({
      certificate: service.certificate,
      chain: service.chain,
      privateKey: service.privateKey,
      trustedRoots: [root],
      crls,
      purpose: 'service',
      host: 'service.example',
    });
    expect(findings.filter((f) => !f.ok)).toEqual([]);
    expect(isCertificateUsable(findings)).toBe(true);
  });

  it('is idempotent: a second run keeps the PKI, --force replaces it', async () => {
    const before = await read('root-ca.pem');
    const again = await initDevelopmentPki(pki.dir);
    expect(again.created).toBe(false);
    expect(await read('root-ca.pem')).toEqual(before);
    const forced = await initDevelopmentPki(pki.dir, { force: true, clients: [{ name: 'carol' }] });
    expect(forced.created).toBe(true);
    expect(await read('root-ca.pem')).not.toEqual(before);
  });

  it('refuses a directory holding some of its files but no README, and bad options', async () => {
    const other = join(dir, 'other');
    await initDevelopmentPki(other, { clients: [] }).then(() => rm(join(other, 'README.txt')));
    await expect(initDevelopmentPki(other, { clients: [] })).rejects.toThrow(/no README.txt/);
    await expect(
      initDevelopmentPki(join(dir, 'y'), { clients: [{ name: '../evil' }] }),
    ).rejects.toThrow(TypeError);
    await expect(initDevelopmentPki(join(dir, 'y'), { serviceDnsNames: [] })).rejects.toThrow(
      TypeError,
    );
  });
});
