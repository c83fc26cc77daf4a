/**
 * Issue 9 item 11: misuse that used to be accepted at construction and failed on the first
 * message with a raw TypeError is now refused when the object is built, naming the option;
 * `open`/`secure` of something that is not a message throws synchronously.
 */
import { describe, expect, it } from 'vitest';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import type { OpenOptions } from '../../../src/open/open-envelope.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { createWcfSecurer } from '../../../src/secure/wcf-layout.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs } from '../../helpers.js';
import { refusal } from './option-table.js';

const pki = await getTestPki();
const trust = new TrustStore({
  trustedRoots: [pki.root.certificate],
  intermediates: [pki.intermediate.certificate],
});
const honest: OpenOptions = { serviceKeys: [pki.service], trust, now: () => TEST_NOW };

function openerWith(extra: Record<string, unknown>): unknown {
  return createOpener({ ...honest, ...extra });
}

describe('createOpener misuse is refused at construction', () => {
  const cases: readonly [string, Record<string, unknown>, string][] = [
    ['a trust store given as a string', { trust: 'root.pem' }, 'options.trust'],
    ['a replay cache {}', { replayCache: {} }, 'options.replayCache'],
    ['a now that is not a function', { now: TEST_NOW }, 'options.now'],
    ['a credential {}', { credentials: [{}] }, 'options.credentials[0]'],
    [
      'a service key without a certificate',
      { serviceKeys: [{ privateKey: pki.service.privateKey }] },
      'options.serviceKeys[0].certificate',
    ],
    [
      'a service key whose key is PEM text',
      {
        serviceKeys: [
          { certificate: pki.service.certificate, privateKey: pki.service.privateKeyPem },
        ],
      },
      'options.serviceKeys[0].privateKey',
    ],
    ['serviceKeys not an array', { serviceKeys: pki.service }, 'options.serviceKeys'],
  ];
  for (const [what, extra, option] of cases) {
    it(`${what}: TypeError naming ${option}; the honest opener opens`, async () => {
      expect(refusal(() => openerWith(extra)).option).toBe(option);
      const wire = secureAs(pki, orderEnvelope());
      const result = await createOpener(honest).open(wire);
      expect(result.context.identity.credentialType).toBe('Certificate');
    });
  }

  it('createOpener() with no options, or null: TypeError', () => {
    expect(refusal(() => createOpener(undefined as never)).option).toBe('options');
    expect(refusal(() => createOpener(null as never)).option).toBe('options');
  });
});

describe('open / secure of something that is not a message', () => {
  const bad: readonly unknown[] = [undefined, null, 42, {}, ['<x/>'], Buffer.from('<x/>').buffer];

  it('open throws a TypeError synchronously (not a rejected promise)', () => {
    const opener = createOpener(honest);
    for (const message of bad) {
      expect(refusal(() => opener.open(message as never)).option).toBe('message');
    }
  });

  it('open of bytes and of a string still works', async () => {
    const opener = createOpener(honest);
    const wire = secureAs(pki, orderEnvelope());
    await expect(opener.open(wire)).resolves.toBeDefined();
    await expect(opener.open(Buffer.from(secureAs(pki, orderEnvelope())))).resolves.toBeDefined();
  });

  it('secure and the WCF securer throw a TypeError naming the envelope', () => {
    const securer = createSecurer({
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
    });
    const wcf = createWcfSecurer({
      layout: 'MutualCertificate10',
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
    });
    for (const envelope of bad) {
      expect(refusal(() => securer.secure(envelope as never)).option).toBe('envelope');
      expect(refusal(() => wcf.secure(envelope as never)).option).toBe('envelope');
    }
    expect(securer.secure(orderEnvelope())).toContain('Security');
  });

  it('createSecurer() with no options: TypeError', () => {
    expect(refusal(() => createSecurer(undefined as never)).option).toBe('options');
  });
});
