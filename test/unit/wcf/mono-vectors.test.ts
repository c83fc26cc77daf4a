/**
 * Messages captured from Mono's WCF client (test/vectors/wcf, see its README), opened with the
 * receiver clock pinned to their time.
 */
import { describe, expect, it } from 'vitest';
import { createSignature } from '../../../src/dsig/sign.js';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqError } from '../../../src/errors.js';
import { SIGNATURE, DIGEST } from '../../../src/policy/algorithms.js';
import { createSecurityTokenReference } from '../../../src/wss/token-reference.js';
import { childElements, parseTrusted, serialize } from '../../../src/xml/dom.js';
import type { Document, Element } from '../../../src/xml/dom.js';
import { NS } from '../../../src/xml/ns.js';
import {
  MONO_POLICY,
  keys,
  testUserNameAuthenticator,
  vector,
  vectors,
  wcfOpener,
} from './wcf-fixtures.js';

async function rejection(p: Promise<unknown>): Promise<WsseqError> {
  try {
    await p;
  } catch (err) {
    if (isWsseqError(err)) return err;
    throw err;
  }
  throw new Error('the message was accepted');
}

/** The code behind the uniform DecryptionFailed a CBC message's later failure turns into. */
function causeCode(err: WsseqError): string | undefined {
  const cause: unknown = err.cause;
  return isWsseqError(cause) ? cause.code : undefined;
}

function security(doc: Document): Element {
  const found = doc.getElementsByTagNameNS(NS.wsse, 'Security')[0];
  if (!found) throw new Error('no Security header');
  return found;
}

function signatures(doc: Document): Element[] {
  return childElements(security(doc)).filter(
    (e) => e.namespaceURI === NS.ds && e.localName === 'Signature',
  );
}

function load(file: string): { doc: Document; at: Date } {
  const { wire, info } = vector(file);
  return {
    doc: parseTrusted(wire.toString('utf8').replace(/^\uFEFF/, '')),
    at: new Date(info.receiverTime),
  };
}

describe('Mono WCF vectors', () => {
  for (const v of vectors.filter((x) => x.layout !== 'UserNameForCertificate')) {
    it(`${v.file}: ${v.layout}, SOAP ${v.soap}, ${v.protectionOrder}`, async () => {
      const { wire, info } = vector(v.file);
      const result = await wcfOpener(new Date(info.receiverTime)).open(wire);
      expect(result.body).toContain('<item>widget</item>');
      expect(result.context.soapVersion).toBe(v.soap);
      expect(result.context.credentialType).toBe('Certificate');
      expect(result.context.identity.name).toBe('O=wsseq test data, CN=wsseq WCF client');
      expect(result.context.signingCertificate?.equals(keys.client.certificate)).toBe(true);
      expect(result.context.encrypted[0]).toBe('Body');
      expect(result.context.signed).toContain('Timestamp');
      expect(result.context.signed).toContain('Body');
      if (v.soap === '1.2') {
        for (const h of ['Action', 'MessageID', 'ReplyTo', 'To'])
          expect(result.context.signed).toContain(h);
      }
      if (v.protectionOrder === 'SignBeforeEncryptAndEncryptSignature') {
        expect(result.context.encrypted.filter((e) => e === 'Signature')).toHaveLength(2);
      }
    });
  }

  it('UserNameForCertificate: the UsernameToken decrypts and the HMAC signature verifies', async () => {
    const { wire, info } = vector('mono-username11.xml');
    const opener = wcfOpener(new Date(info.receiverTime), MONO_POLICY, [testUserNameAuthenticator]);
    const result = await opener.open(wire);
    expect(result.context.credentialType).toBe('UserName');
    expect(result.context.identity.name).toBe('alice');
    expect(result.context.encrypted).toEqual(['Body', 'UsernameToken']);
    expect(result.context.signingCertificate).toBeUndefined();
  });

  it('UserNameForCertificate without a UserName credential: nothing authenticates it', async () => {
    const { wire, info } = vector('mono-username11.xml');
    const err = await rejection(wcfOpener(new Date(info.receiverTime)).open(wire));
    expect(err.code).toBe('UnsupportedSecurityToken');
  });

  it('a receiver configured for Basic256Sha256 rejects HMAC-SHA1 and SHA-1 digests', async () => {
    const { wire, info } = vector('mono-mc11-sign-encrypt.xml');
    const opener = wcfOpener(new Date(info.receiverTime), {
      algorithmSuites: ['Basic256Sha256'],
      relaxations: MONO_POLICY.relaxations ?? {},
    });
    const err = await rejection(opener.open(wire));
    expect([err.code, causeCode(err)]).toContain('UnsupportedAlgorithm');
  });

  it('BSP: a BinarySecurityToken without EncodingType needs the named relaxation', async () => {
    const { wire, info } = vector('mono-mc11-sign-encrypt.xml');
    const opener = wcfOpener(new Date(info.receiverTime), {
      ...MONO_POLICY,
      relaxations: { allowMissingValueType: true },
    });
    const err = await rejection(opener.open(wire));
    expect(err.code).toBe('MalformedMessage');
  });

  it('BSP R3059: a Reference to a DerivedKeyToken without ValueType needs the named relaxation', async () => {
    const { wire, info } = vector('mono-mc11-sign-encrypt.xml');
    const opener = wcfOpener(new Date(info.receiverTime), {
      ...MONO_POLICY,
      relaxations: { allowMissingEncodingType: true },
    });
    const err = await rejection(opener.open(wire));
    expect(err.code).toBe('MalformedMessage');
  });

  it('tampered primary signature value: rejected (SignatureInvalid behind the uniform CBC error)', async () => {
    const { doc, at } = load('mono-mc11-sign-encrypt.xml');
    const [primary] = signatures(doc);
    const value = primary!.getElementsByTagNameNS(NS.ds, 'SignatureValue')[0]!;
    const bytes = Buffer.from(value.textContent ?? '', 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    value.textContent = bytes.toString('base64');
    const err = await rejection(wcfOpener(at).open(serialize(doc)));
    expect(err.code).toBe('DecryptionFailed');
    expect(causeCode(err)).toBe('SignatureInvalid');
  });

  it('tampered endorsing signature value: rejected', async () => {
    const { doc, at } = load('mono-mc11-sign-encrypt.xml');
    const endorsing = signatures(doc)[1]!;
    const value = endorsing.getElementsByTagNameNS(NS.ds, 'SignatureValue')[0]!;
    const bytes = Buffer.from(value.textContent ?? '', 'base64');
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    value.textContent = bytes.toString('base64');
    const err = await rejection(wcfOpener(at).open(serialize(doc)));
    expect(err.code).toBe('DecryptionFailed');
    expect(causeCode(err)).toBe('SignatureInvalid');
  });

  it('tampered derived-key nonce: the derived key is wrong, decryption fails', async () => {
    const { doc, at } = load('mono-mc11-sign-encrypt.xml');
    const nonce = doc.getElementsByTagNameNS(NS.wsc2005, 'Nonce')[0]!;
    const bytes = Buffer.from(nonce.textContent ?? '', 'base64');
    bytes[3] = (bytes[3] ?? 0) ^ 0x80;
    nonce.textContent = bytes.toString('base64');
    const err = await rejection(wcfOpener(at).open(serialize(doc)));
    expect(err.code).toBe('DecryptionFailed');
  });

  it('an endorsing signature that does not cover the primary signature is rejected', async () => {
    const { doc, at } = load('mono-mc11-sign-encrypt.xml');
    const sec = security(doc);
    const [primary, endorsing] = signatures(doc);
    const timestamp = childElements(sec).find((e) => e.localName === 'Timestamp')!;
    const bst = childElements(sec).find((e) => e.localName === 'BinarySecurityToken')!;
    // A valid RSA signature by the client, over the Timestamp instead of the primary signature.
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
    sec.replaceChild(forged, endorsing!);
    expect(primary).toBeDefined();
    const err = await rejection(wcfOpener(at).open(serialize(doc)));
    expect(err.code).toBe('DecryptionFailed');
    expect(causeCode(err)).toBe('PolicyViolation');
  });

  it('without its endorsing signature the HMAC-signed message has no identity', async () => {
    const { doc, at } = load('mono-mc11-sign-encrypt.xml');
    const endorsing = signatures(doc)[1]!;
    endorsing.parentNode?.removeChild(endorsing);
    const err = await rejection(wcfOpener(at).open(serialize(doc)));
    expect([err.code, causeCode(err)]).toContain('CertificateRequired');
  });
});
