/**
 * Issue 9 item 9, the class: every base64 or numeric value the message carries (CipherValue,
 * DigestValue, SignatureValue, BinarySecurityToken, derived-key Nonce, Length, Offset,
 * KeyIdentifier...) replaced by a corrupted one, in several layouts: `open` either rejects
 * with a WsseqError or (for a value nothing depends on) accepts — never a library exception.
 */
import { describe, expect, it } from 'vitest';
import { certificateCredential } from '../../src/credentials/x509.js';
import { isWsseqError } from '../../src/errors.js';
import { createWcfSecurer } from '../../src/secure/wcf-layout.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';

const pki = await getTestPki();

const layouts: readonly [string, () => string][] = [
  ['EncryptAndSign, SignBeforeEncrypt', () => secureAs(pki, orderEnvelope())],
  [
    'EncryptAndSign, encrypted signature, thumbprint reference',
    () =>
      secureAs(pki, orderEnvelope('1.2'), {
        protectionOrder: 'SignBeforeEncryptAndEncryptSignature',
        signerKeyReference: 'thumbprint',
      }),
  ],
  [
    'Sign, issuer-serial',
    () =>
      secureAs(pki, orderEnvelope(), {
        protectionLevel: 'Sign',
        signerKeyReference: 'issuer-serial',
      }),
  ],
  [
    'Sign, SKI',
    () => secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign', signerKeyReference: 'ski' }),
  ],
  [
    'WCF MutualCertificate11 (derived keys)',
    () =>
      createWcfSecurer({
        layout: 'MutualCertificate11',
        credential: certificateCredential(pki.client),
        serviceCertificate: pki.service.certificate,
        now: () => TEST_NOW,
      }).secure(orderEnvelope('1.2')),
  ],
];

/** Text values of the message: base64 runs and numbers. */
const VALUE = />([A-Za-z0-9+/=\r\n]{4,}|-?\d+)</g;

function variants(value: string): string[] {
  if (/^-?\d+$/.test(value)) return ['-1', '0', '99999999999', 'x', ''];
  return [
    '',
    '!!!!',
    'AA==',
    value.slice(0, Math.floor(value.length / 2)),
    'A'.repeat(4096),
    `${value}AAAA`,
  ];
}

describe('corrupted values through open (issue 9 item 9)', () => {
  for (const [layout, make] of layouts) {
    it(`${layout}: every corrupted value is a WsseqError or harmless`, async () => {
      const wire = make();
      const opener = testOpener(
        pki,
        { protectionLevel: layout.startsWith('Sign') ? 'Sign' : 'EncryptAndSign' },
        { knownCertificates: [pki.client.certificate] },
      );
      await expect(opener.open(wire)).resolves.toBeDefined();
      const escaped: string[] = [];
      let tried = 0;
      for (const m of wire.matchAll(VALUE)) {
        const value = m[1] ?? '';
        const at = m.index + 1;
        for (const v of variants(value)) {
          const bad = wire.slice(0, at) + v + wire.slice(at + value.length);
          tried += 1;
          try {
            await opener.open(bad);
          } catch (err) {
            if (!isWsseqError(err))
              escaped.push(`${value.slice(0, 24)} -> ${v.slice(0, 12)}: ${String(err)}`);
          }
        }
      }
      expect(tried).toBeGreaterThan(10);
      expect(escaped).toEqual([]);
    });
  }
});
