/** The certificate doctor on the test PKI: each classic mistake is found, with the receiver's code. */
import { describe, expect, it } from 'vitest';
import { diagnoseCertificate, isCertificateUsable } from '../../../src/doctor/diagnose.js';
import type {
  CertificateFinding,
  DiagnoseCertificateOptions,
} from '../../../src/doctor/diagnose.js';
import { formatFindings } from '../../../src/doctor/report.js';
import { TEST_NOW, getTestPki } from '../../helpers.js';
import type { TestCredential, TestPki } from '../../helpers.js';

async function diagnose(
  pick: (pki: TestPki) => TestCredential,
  extra: Partial<DiagnoseCertificateOptions> = {},
): Promise<CertificateFinding[]> {
  const pki = await getTestPki();
  const cred = pick(pki);
  return diagnoseCertificate({
    certificate: cred.certificate,
    privateKey: cred.privateKey,
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    at: TEST_NOW,
    ...extra,
  });
}

function failed(findings: readonly CertificateFinding[]): { check: string; code?: string }[] {
  return findings
    .filter((f) => !f.ok)
    .map((f) => (f.code === undefined ? { check: f.check } : { check: f.check, code: f.code }));
}

function finding(findings: readonly CertificateFinding[], check: string): CertificateFinding {
  const f =
    findings.find((x) => x.check === check && !x.ok) ?? findings.find((x) => x.check === check);
  if (!f) throw new Error(`no ${check} finding`);
  return f;
}

describe('diagnoseCertificate', () => {
  it('a good client certificate: usable, every check passes', async () => {
    const pki = await getTestPki();
    const findings = await diagnose((p) => p.client, {
      crls: [pki.crlRoot.pem, pki.crlIntermediate.pem],
    });
    expect(failed(findings)).toEqual([]);
    expect(isCertificateUsable(findings)).toBe(true);
    expect(finding(findings, 'chain').message).toMatch(
      /alice.*wsseq Test Issuing CA.*wsseq Test Root CA/,
    );
    expect(finding(findings, 'identity').message).toMatch(
      /e-mail alice@example.com, UPN alice@corp.example/,
    );
    expect(finding(findings, 'revocation').message).toMatch(/not revoked/);
    expect(formatFindings(findings, 'client')).toMatch(/Verdict: usable as a client certificate/);
  });

  it('expired: CertificateExpired, with the date', async () => {
    const findings = await diagnose((p) => p.expiredClient);
    expect(failed(findings)).toEqual([
      { check: 'validity', code: 'CertificateExpired' },
      { check: 'receiver-verdict', code: 'CertificateExpired' },
    ]);
    expect(finding(findings, 'validity').message).toMatch(/expired on 2025-06-01/);
  });

  it('not yet valid: CertificateExpired', async () => {
    const findings = await diagnose((p) => p.notYetValidClient);
    expect(finding(findings, 'validity')).toMatchObject({ ok: false, code: 'CertificateExpired' });
    expect(finding(findings, 'validity').message).toMatch(/not valid yet/);
  });

  it('a server certificate used as a client certificate: CertificateNotValidForPurpose', async () => {
    const findings = await diagnose((p) => p.noClientAuthClient);
    expect(failed(findings)).toEqual([
      { check: 'extended-key-usage', code: 'CertificateNotValidForPurpose' },
      { check: 'receiver-verdict', code: 'CertificateNotValidForPurpose' },
    ]);
    expect(finding(findings, 'extended-key-usage').message).toMatch(
      /does not include Client Authentication.*server \(TLS\/SSL\) certificate/,
    );
    // The service certificate, likewise, is no client certificate; but it is a service one.
    expect(failed(await diagnose((p) => p.service))[0]).toEqual({
      check: 'extended-key-usage',
      code: 'CertificateNotValidForPurpose',
    });
    expect(failed(await diagnose((p) => p.service, { purpose: 'service' }))).toEqual([]);
  });

  it('a client certificate used as a service certificate', async () => {
    const findings = await diagnose((p) => p.client, { purpose: 'service' });
    expect(finding(findings, 'extended-key-usage').message).toMatch(
      /does not include Server Authentication.*client certificate/,
    );
  });

  it('revoked, with CRLs: CertificateRevoked', async () => {
    const pki = await getTestPki();
    const crls = [pki.crlRoot.pem, pki.crlIntermediate.pem];
    const findings = await diagnose((p) => p.revokedClient, { crls });
    expect(failed(findings)).toEqual([
      { check: 'revocation', code: 'CertificateRevoked' },
      { check: 'receiver-verdict', code: 'CertificateRevoked' },
    ]);
    expect(finding(findings, 'revocation').message).toMatch(/revoked on 2026-01-01/);
    // Without CRLs it is not checked (and said so).
    const unchecked = await diagnose((p) => p.revokedClient);
    expect(finding(unchecked, 'revocation').message).toMatch(
      /not checked.*pki.example\/intermediate.crl/,
    );
    // A CRL missing for the intermediate: status unknown.
    const partial = await diagnose((p) => p.client, { crls: [pki.crlRoot.pem] });
    expect(finding(partial, 'revocation')).toMatchObject({
      ok: false,
      code: 'CertificateUntrusted',
    });
    expect(finding(partial, 'revocation').message).toMatch(/revocation status unknown/);
  });

  it('self-signed: CertificateUntrusted, and what to do', async () => {
    const findings = await diagnose((p) => p.selfSignedClient);
    expect(failed(findings)).toEqual([
      { check: 'self-signed', code: 'CertificateUntrusted' },
      { check: 'receiver-verdict', code: 'CertificateUntrusted' },
    ]);
    expect(finding(findings, 'self-signed').message).toMatch(/PeerTrust/);
  });

  it('issued by a CA the store does not hold: names the missing link', async () => {
    const findings = await diagnose((p) => p.untrustedClient);
    expect(finding(findings, 'chain')).toMatchObject({ ok: false, code: 'CertificateUntrusted' });
    expect(finding(findings, 'chain').message).toMatch(
      /issued by "CN=Untrusted Root CA, O=wsseq tests, C=US", which is not in your trust store: add the certificate of .* as an intermediate \(--intermediate\) or.* trusted root \(--trust\)/,
    );
    // Given its root as an intermediate, the chain ends at an untrusted root.
    const pki = await getTestPki();
    const rooted = await diagnose((p) => p.untrustedClient, {
      intermediates: [pki.untrustedRoot.certificate],
    });
    expect(finding(rooted, 'chain').message).toMatch(
      /ends at the root "Untrusted Root CA", which is not in your trust store/,
    );
  });

  it('the intermediate missing: names it', async () => {
    const findings = await diagnose((p) => p.client, { intermediates: [] });
    expect(finding(findings, 'chain').message).toMatch(
      /issued by "CN=wsseq Test Issuing CA, O=wsseq tests, C=US", which is not in your trust store/,
    );
    expect(finding(findings, 'receiver-verdict').code).toBe('CertificateUntrusted');
    // Carried with the certificate (as in a PFX), it completes the chain.
    const pki = await getTestPki();
    const carried = await diagnose((p) => p.client, {
      intermediates: [],
      chain: [pki.intermediate.certificate],
    });
    expect(failed(carried)).toEqual([]);
  });

  it('a CA certificate used as an end-entity certificate', async () => {
    const findings = await diagnose((p) => p.intermediate);
    expect(finding(findings, 'end-entity')).toMatchObject({
      ok: false,
      code: 'CertificateNotValidForPurpose',
    });
    expect(finding(findings, 'key-usage').ok).toBe(false);
  });

  it('host name: SAN DNS name vs a wrong host', async () => {
    const good = await diagnose((p) => p.service, { purpose: 'service', host: 'service.example' });
    expect(finding(good, 'host-name').ok).toBe(true);
    expect(isCertificateUsable(good)).toBe(true);
    const wrong = await diagnose((p) => p.service, { purpose: 'service', host: 'orders.example' });
    expect(finding(wrong, 'host-name')).toMatchObject({
      ok: false,
      code: 'CertificateNotValidForPurpose',
    });
    expect(finding(wrong, 'host-name').message).toMatch(
      /"orders.example" is not among its DNS names \(service.example\)/,
    );
    // A client certificate has no DNS name; its CN is not a host name either.
    const client = await diagnose((p) => p.client, { host: 'service.example' });
    expect(finding(client, 'host-name').message).toMatch(/matches neither/);
  });

  it('private key: missing (warning), another key (fails)', async () => {
    const pki = await getTestPki();
    const none = await diagnoseCertificate({
      certificate: pki.client.certificate,
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
      at: TEST_NOW,
    });
    expect(finding(none, 'private-key')).toMatchObject({ ok: true, severity: 'warning' });
    const other = await diagnose((p) => p.client, { privateKey: pki.client2.privateKey });
    expect(finding(other, 'private-key').ok).toBe(false);
    expect(finding(other, 'private-key').message).toMatch(/does not belong/);
  });

  it('without trusted roots: the chain is not judged, and it says so', async () => {
    const findings = await diagnose((p) => p.client, { trustedRoots: [] });
    expect(finding(findings, 'chain')).toMatchObject({ ok: true, severity: 'warning' });
    expect(findings.some((f) => f.check === 'receiver-verdict')).toBe(false);
  });

  it('the report names each problem and the verdict', async () => {
    const text = formatFindings(await diagnose((p) => p.noClientAuthClient), 'client');
    expect(text).toMatch(/\[FAIL\] extended-key-usage \(CertificateNotValidForPurpose\)/);
    expect(text).toMatch(/Verdict: NOT usable as a client certificate/);
  });
});
