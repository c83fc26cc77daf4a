/** The doctor's Kerberos checks: keytab, principal, enctype, ccache and clock problems. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseKerberos } from '../../src/doctor/kerberos.js';
import { readCredentialCache } from '../../src/kerberos/ccache.js';
import { useCliFixture } from '../unit/cli/harness.js';
import { OTHER_SERVICE, RC4_SERVICE, SERVICE, krb5Unavailable, startTestRealm } from './realm.js';
import type { TestRealm } from './realm.js';

const skip = krb5Unavailable();
if (skip) console.warn(`skipping Kerberos doctor tests: ${skip}`);

describe.skipIf(skip !== undefined)('doctor: Kerberos', () => {
  const cli = useCliFixture();
  let realm: TestRealm;
  beforeAll(async () => {
    realm = await startTestRealm();
  });
  afterAll(async () => {
    await realm.stop();
  });
  const failed = (f: ReturnType<typeof diagnoseKerberos>) =>
    f.filter((x) => !x.ok).map((x) => x.check);

  it('a good keytab and ccache: no failed check', () => {
    const f = diagnoseKerberos({
      keytab: realm.serviceKeytab,
      servicePrincipal: SERVICE,
      credentialCache: realm.ccache,
    });
    expect(failed(f)).toEqual([]);
  });

  it('the wrong principal, an rc4-only principal, an unreadable keytab', () => {
    expect(
      failed(diagnoseKerberos({ keytab: realm.serviceKeytab, servicePrincipal: OTHER_SERVICE })),
    ).toEqual(['principal']);
    expect(
      failed(diagnoseKerberos({ keytab: realm.serviceKeytab, servicePrincipal: RC4_SERVICE })),
    ).toEqual(['enctype']);
    expect(failed(diagnoseKerberos({ keytab: `${realm.dir}/missing.keytab` }))).toEqual(['keytab']);
  });

  it('wsseq doctor --keytab --service-principal: exit 0, or 1 with the failed check', async () => {
    const ok = await cli.run([
      'doctor',
      '--keytab',
      realm.serviceKeytab,
      '--service-principal',
      SERVICE,
      '--json',
    ]);
    expect(ok.code).toBe(0);
    const bad = await cli.run([
      'doctor',
      '--keytab',
      realm.serviceKeytab,
      '--service-principal',
      OTHER_SERVICE,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('FAIL principal');
  });

  it('an expired TGT, and a clock behind the KDC', () => {
    const tgt = readCredentialCache(realm.ccache).credentials[0];
    const end = tgt?.endTime ?? new Date();
    const auth = tgt?.authTime ?? new Date();
    const after = new Date(end.getTime() + 1000);
    expect(failed(diagnoseKerberos({ credentialCache: realm.ccache, now: after }))).toEqual([
      'ccache',
    ]);
    const behind = new Date(auth.getTime() - 3600_000);
    expect(failed(diagnoseKerberos({ credentialCache: realm.ccache, now: behind }))).toEqual([
      'clock',
    ]);
  });
});
