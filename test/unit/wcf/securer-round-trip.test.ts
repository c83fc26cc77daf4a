/**
 * wsseq's WCF securer (src/secure/wcf-layout.ts): every layout round-trips through `open`, and
 * the attacks on the symmetric binding fail with their own codes (AES-GCM here, so no CBC
 * decryption masks the code behind the uniform DecryptionFailed).
 */
import { describe, expect, it } from 'vitest';
import { createSignature } from '../../../src/dsig/sign.js';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqError } from '../../../src/errors.js';
import { DIGEST, SIGNATURE } from '../../../src/policy/algorithms.js';
import type { AlgorithmSuiteName } from '../../../src/policy/algorithms.js';
import { createWcfSecurer } from '../../../src/secure/wcf-layout.js';
import type { WcfSecureOptions } from '../../../src/secure/wcf-layout.js';
import { createSecurityTokenReference } from '../../../src/wss/token-reference.js';
import { childElements, parseTrusted, serialize } from '../../../src/xml/dom.js';
import type { Element } from '../../../src/xml/dom.js';
import { NS } from '../../../src/xml/ns.js';
import {
  clientCredential,
  keys,
  testUserName,
  testUserNameAuthenticator,
  wcfOpener,
} from './wcf-fixtures.js';

const NOW = new Date('2027-03-01T10:00:00Z');

function envelope(version: '1.1' | '1.2'): string {
  if (version === '1.1') {
    return (
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/>' +
      '<s:Body><PlaceOrder xmlns="urn:example:orders"><item>widget</item></PlaceOrder></s:Body></s:Envelope>'
    );
  }
  return (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">' +
    '<s:Header><a:Action s:mustUnderstand="1">urn:example:orders/PlaceOrder</a:Action>' +
    '<a:MessageID>urn:uuid:6d1c2f8e-0000-4000-8000-000000000001</a:MessageID>' +
    '<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>' +
    '<a:To s:mustUnderstand="1">net.msmq://localhost/private/orders</a:To></s:Header>' +
    '<s:Body><PlaceOrder xmlns="urn:example:orders"><item>widget</item></PlaceOrder></s:Body></s:Envelope>'
  );
}

function secure(options: Partial<WcfSecureOptions> = {}, version: '1.1' | '1.2' = '1.2'): string {
  return createWcfSecurer({
    layout: 'MutualCertificate11',
    credential: clientCredential(),
    serviceCertificate: keys.service.certificate,
    now: () => NOW,
    ...options,
  }).secure(envelope(version));
}

async function rejection(p: Promise<unknown>): Promise<WsseqError> {
  try {
    await p;
  } catch (err) {
    if (isWsseqError(err)) return err;
    throw err;
  }
  throw new Error('the message was accepted');
}

const STRICT = { algorithmSuites: ['Basic256Sha256', 'Basic256GCMSha256'] as AlgorithmSuiteName[] };
const WEAK = {
  algorithmSuites: ['Basic256', 'Basic128'] as AlgorithmSuiteName[],
  allowInsecureAlgorithms: true,
};

describe('createWcfSecurer → open', () => {
  for (const version of ['1.1', '1.2'] as const) {
    for (const order of ['SignBeforeEncrypt', 'SignBeforeEncryptAndEncryptSignature'] as const) {
      for (const derivedKeys of ['separate', 'single', 'none'] as const) {
        it(`MutualCertificate11, SOAP ${version}, ${order}, derived keys ${derivedKeys}`, async () => {
          const wire = secure({ protectionOrder: order, derivedKeys }, version);
          expect(wire).not.toContain('widget');
          const result = await wcfOpener(NOW, STRICT).open(wire);
          expect(result.body).toContain('<item>widget</item>');
          expect(result.context.credentialType).toBe('Certificate');
          expect(result.context.signingCertificate?.equals(keys.client.certificate)).toBe(true);
          expect(result.context.signed.slice(0, 1)).toEqual(['Timestamp']);
          if (version === '1.2') {
            expect(result.context.signed).toEqual([
              'Timestamp',
              'Action',
              'MessageID',
              'ReplyTo',
              'To',
              'Body',
            ]);
          }
          expect(result.context.encrypted).toEqual(
            order === 'SignBeforeEncrypt' ? ['Body'] : ['Body', 'Signature', 'Signature'],
          );
        });
      }
    }
  }

  it('MutualCertificate11 with the WS-SecureConversation 1.3 namespace', async () => {
    const wire = secure({ secureConversationVersion: '1.3' });
    expect(wire).toContain(NS.wsc13);
    const result = await wcfOpener(NOW, STRICT).open(wire);
    expect(result.context.identity.name).toBe('O=wsseq test data, CN=wsseq WCF client');
  });

  for (const suite of ['Basic256', 'Basic128'] as const) {
    it(`MutualCertificate11 under WCF's ${suite} (HMAC-SHA1), accepted only where named`, async () => {
      const wire = secure({
        algorithmSuite: suite,
        allowInsecureAlgorithms: true,
        protectionOrder: 'SignBeforeEncrypt',
      });
      expect(wire).toContain('hmac-sha1');
      expect((await wcfOpener(NOW, WEAK).open(wire)).body).toContain('widget');
      const err = await rejection(wcfOpener(NOW, STRICT).open(wire));
      // Basic256: AES-256-CBC is accepted, so the HMAC-SHA1 refusal comes after a CBC
      // decryption and hides behind the uniform DecryptionFailed; Basic128: AES-128 is refused.
      const cause: unknown = err.cause;
      expect([err.code, isWsseqError(cause) ? cause.code : undefined]).toContain(
        'UnsupportedAlgorithm',
      );
    });
  }

  it('a weak suite without allowInsecureAlgorithms is a TypeError', () => {
    expect(() => secure({ algorithmSuite: 'Basic256' })).toThrow(TypeError);
  });

  for (const version of ['1.1', '1.2'] as const) {
    for (const order of ['SignBeforeEncrypt', 'SignBeforeEncryptAndEncryptSignature'] as const) {
      it(`MutualCertificate10 (asymmetric), SOAP ${version}, ${order}`, async () => {
        const wire = secure({ layout: 'MutualCertificate10', protectionOrder: order }, version);
        expect(wire).toContain('X509IssuerSerial');
        expect(wire).not.toContain('DerivedKeyToken');
        const result = await wcfOpener(NOW, STRICT).open(wire);
        expect(result.body).toContain('widget');
        expect(result.context.signingCertificate?.equals(keys.client.certificate)).toBe(true);
        expect(result.context.signed).toContain('Body');
      });
    }
  }

  it('UserNameForCertificate: the UsernameToken travels encrypted and signed', async () => {
    const wire = secure({
      layout: 'UserNameForCertificate',
      credential: testUserName('alice', 'correct horse'),
    });
    expect(wire).not.toContain('correct horse');
    expect(wire).not.toContain('BinarySecurityToken');
    const opener = wcfOpener(NOW, STRICT, [testUserNameAuthenticator]);
    const result = await opener.open(wire);
    expect(result.context.credentialType).toBe('UserName');
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.signed).toContain('UsernameToken');
    expect(result.context.encrypted).toContain('UsernameToken');
  });
});

describe('attacks on the symmetric binding', () => {
  const GCM = {
    algorithmSuite: 'Basic256GCMSha256' as const,
    protectionOrder: 'SignBeforeEncrypt' as const,
  };

  function edit(wire: string, change: (security: Element) => void): string {
    const doc = parseTrusted(wire);
    const security = doc.getElementsByTagNameNS(NS.wsse, 'Security')[0] as unknown as Element;
    change(security);
    return serialize(doc);
  }
  const sigs = (security: Element): Element[] =>
    childElements(security).filter((e) => e.localName === 'Signature');
  const flip = (el: Element, localName: string, ns: string, at = 2): void => {
    const v = el.getElementsByTagNameNS(ns, localName)[0]!;
    const bytes = Buffer.from(v.textContent ?? '', 'base64');
    bytes[at] = (bytes[at] ?? 0) ^ 1;
    v.textContent = bytes.toString('base64');
  };

  it('the honest message opens', async () => {
    expect((await wcfOpener(NOW, STRICT).open(secure(GCM))).body).toContain('widget');
  });

  it('tampered primary signature → SignatureInvalid', async () => {
    const wire = edit(secure(GCM), (s) => {
      flip(sigs(s)[0]!, 'SignatureValue', NS.ds);
    });
    expect((await rejection(wcfOpener(NOW, STRICT).open(wire))).code).toBe('SignatureInvalid');
  });

  it('tampered endorsing signature → SignatureInvalid', async () => {
    const wire = edit(secure(GCM), (s) => {
      flip(sigs(s)[1]!, 'SignatureValue', NS.ds, 9);
    });
    expect((await rejection(wcfOpener(NOW, STRICT).open(wire))).code).toBe('SignatureInvalid');
  });

  it('tampered nonce of the signing DerivedKeyToken → SignatureInvalid', async () => {
    const wire = edit(secure(GCM), (s) => {
      const dkts = childElements(s).filter((e) => e.localName === 'DerivedKeyToken');
      flip(dkts[0]!, 'Nonce', NS.wsc2005);
    });
    expect((await rejection(wcfOpener(NOW, STRICT).open(wire))).code).toBe('SignatureInvalid');
  });

  it('tampered nonce of the encryption DerivedKeyToken → DecryptionFailed', async () => {
    const wire = edit(secure(GCM), (s) => {
      const dkts = childElements(s).filter((e) => e.localName === 'DerivedKeyToken');
      flip(dkts[1]!, 'Nonce', NS.wsc2005);
    });
    expect((await rejection(wcfOpener(NOW, STRICT).open(wire))).code).toBe('DecryptionFailed');
  });

  it('an endorsing signature by an untrusted certificate → CertificateUntrusted', async () => {
    const wire = secure({ ...GCM, credential: clientCredential(keys.untrusted) });
    expect((await rejection(wcfOpener(NOW, STRICT).open(wire))).code).toBe('CertificateUntrusted');
  });

  it('an endorsing signature that does not cover the primary signature → PolicyViolation', async () => {
    // A valid RSA signature by the trusted client, but over the Timestamp: it endorses nothing.
    const wire = edit(secure(GCM), (s) => {
      const doc = s.ownerDocument!;
      const timestamp = childElements(s).find((e) => e.localName === 'Timestamp')!;
      const bst = childElements(s).find((e) => e.localName === 'BinarySecurityToken')!;
      const forged = createSignature(doc, {
        references: [timestamp],
        signatureAlgorithm: SIGNATURE.rsaSha256,
        digestAlgorithm: DIGEST.sha256,
        key: keys.client.privateKey,
        keyInfo: createSecurityTokenReference(
          doc,
          'bst',
          keys.client.certificate,
          bst.getAttributeNS(NS.wsu, 'Id') ?? '',
        ),
        id: 'forged',
      });
      s.replaceChild(forged, sigs(s)[1]!);
    });
    const err = await rejection(wcfOpener(NOW, STRICT).open(wire));
    expect(err.code).toBe('PolicyViolation');
  });

  it('a second endorsing signature by another certificate → PolicyViolation', async () => {
    const wire = edit(secure(GCM), (s) => {
      const doc = s.ownerDocument!;
      const primary = sigs(s)[0]!;
      const bst = childElements(s).find((e) => e.localName === 'BinarySecurityToken')!;
      const other = doc.importNode(bst, true);
      other.setAttributeNS(NS.wsu, 'wsu:Id', 'other-bst');
      other.textContent = keys.untrusted.certificate.der.toString('base64');
      s.appendChild(other);
      s.appendChild(
        createSignature(doc, {
          references: [primary],
          signatureAlgorithm: SIGNATURE.rsaSha256,
          digestAlgorithm: DIGEST.sha256,
          key: keys.untrusted.privateKey,
          keyInfo: createSecurityTokenReference(
            doc,
            'bst',
            keys.untrusted.certificate,
            'other-bst',
          ),
          id: 'second',
        }),
      );
    });
    const err = await rejection(wcfOpener(NOW, STRICT).open(wire));
    expect(err.code).toBe('PolicyViolation');
  });
});
