/**
 * The whole-message transport signature, one attack per test beside the honest message.
 */
import { constants, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import {
  TRANSPORT_PROPERTY,
  protectTransportMessage,
  transportSignedBytes,
  verifyTransportMessage,
} from '../../../src/transport/transport-security.js';
import type {
  ProtectTransportOptions,
  TransportMessage,
} from '../../../src/transport/transport-security.js';
import { TEST_NOW, getTestPki } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { transportTrust } from '../host/harness.js';

const BODY = Buffer.from('<soap:Envelope/>');

describe('transport signature', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await getTestPki();
  });

  function seal(extra: Partial<ProtectTransportOptions> = {}): TransportMessage {
    const sealed = protectTransportMessage(BODY, {
      id: 'm-1',
      destination: 'orders',
      credential: pki.client,
      sentAt: TEST_NOW,
      ...extra,
    });
    return { id: 'm-1', body: sealed.body, properties: sealed.properties };
  }

  async function codeOf(message: TransportMessage, queueName = 'orders'): Promise<string> {
    try {
      await verifyTransportMessage(message, {
        queueName,
        trust: transportTrust(pki),
        keys: [pki.service],
        trustedGateways: [pki.service.certificate],
        now: TEST_NOW,
      });
      return 'accepted';
    } catch (err) {
      return isWsseqError(err) ? err.code : `not a WsseqError: ${String(err)}`;
    }
  }

  const withProps = (m: TransportMessage, props: Record<string, string>): TransportMessage => ({
    ...m,
    properties: { ...m.properties, ...props },
  });

  it('the honest message verifies', async () => {
    expect(await codeOf(seal())).toBe('accepted');
    expect(await codeOf(seal({ recipient: pki.service.certificate, ttlMs: 60_000 }))).toBe(
      'accepted',
    );
  });

  it('a changed body is SignatureInvalid', async () => {
    const m = seal();
    expect(await codeOf({ ...m, body: Buffer.from('<soap:Envelope x="1"/>') })).toBe(
      'SignatureInvalid',
    );
  });

  it('another message id (the queue assigned a different one) is SignatureInvalid', async () => {
    expect(await codeOf({ ...seal(), id: 'm-2' })).toBe('SignatureInvalid');
  });

  it('a changed time sent or TTL is SignatureInvalid', async () => {
    const m = seal({ ttlMs: 1000 });
    expect(await codeOf(withProps(m, { [TRANSPORT_PROPERTY.ttlMs]: '999999999' }))).toBe(
      'SignatureInvalid',
    );
    expect(
      await codeOf(withProps(m, { [TRANSPORT_PROPERTY.sentAt]: new Date().toISOString() })),
    ).toBe('SignatureInvalid');
  });

  it('a message received from another queue is PolicyViolation', async () => {
    expect(await codeOf(seal(), 'orders-archive')).toBe('PolicyViolation');
  });

  it('another signature algorithm is UnsupportedAlgorithm', async () => {
    expect(await codeOf(withProps(seal(), { [TRANSPORT_PROPERTY.algorithm]: 'rsa-sha1' }))).toBe(
      'UnsupportedAlgorithm',
    );
  });

  it('no signature is CertificateRequired', async () => {
    const m = seal();
    const rest = Object.fromEntries(
      Object.entries(m.properties).filter(([k]) => k !== TRANSPORT_PROPERTY.signature),
    );
    expect(await codeOf({ ...m, properties: rest })).toBe('CertificateRequired');
  });

  it('a certificate swapped for another trusted one is SignatureInvalid', async () => {
    const m = withProps(seal(), {
      [TRANSPORT_PROPERTY.certificate]: pki.client2.certificate.der.toString('base64'),
    });
    expect(await codeOf(m)).toBe('SignatureInvalid');
  });

  it('a message sent in the future, or past its TTL, is MessageExpired', async () => {
    expect(await codeOf(seal({ sentAt: new Date(TEST_NOW.getTime() + 3_600_000) }))).toBe(
      'MessageExpired',
    );
    expect(
      await codeOf(seal({ sentAt: new Date(TEST_NOW.getTime() - 3_600_000), ttlMs: 60_000 })),
    ).toBe('MessageExpired');
  });

  it('an expired or revoked signer fails trust with its own code', async () => {
    expect(await codeOf(seal({ credential: pki.expiredClient }))).toBe('CertificateExpired');
    expect(await codeOf(seal({ credential: pki.untrustedClient }))).toBe('CertificateUntrusted');
  });

  it('an encrypted message stripped and re-signed by another sender does not decrypt', async () => {
    const original = seal({ recipient: pki.service.certificate });
    const p = original.properties;
    // bob re-signs alice's ciphertext with the same encryption properties
    const resigned = protectTransportMessage(original.body, {
      id: 'm-1',
      destination: 'orders',
      credential: pki.client2,
      sentAt: TEST_NOW,
    });
    const forged = withProps(
      { id: 'm-1', body: original.body, properties: resigned.properties },
      {
        [TRANSPORT_PROPERTY.encryption]: p[TRANSPORT_PROPERTY.encryption]!,
        [TRANSPORT_PROPERTY.recipient]: p[TRANSPORT_PROPERTY.recipient]!,
        [TRANSPORT_PROPERTY.encryptedKey]: p[TRANSPORT_PROPERTY.encryptedKey]!,
        [TRANSPORT_PROPERTY.iv]: p[TRANSPORT_PROPERTY.iv]!,
        [TRANSPORT_PROPERTY.tag]: p[TRANSPORT_PROPERTY.tag]!,
      },
    );
    // The forged signature does not cover the added properties...
    expect(await codeOf(forged)).toBe('SignatureInvalid');
    // ...and when bob signs them too, the GCM additional data (alice's thumbprint) fails.
    const resignedAll = resignWith(pki, forged.body, forged.properties);
    expect(await codeOf({ id: 'm-1', body: forged.body, properties: resignedAll })).toBe(
      'DecryptionFailed',
    );
  });

  it('an https attestation by a gateway not trusted is CertificateUntrusted', async () => {
    const m = seal({ hop: 'https', hopClientCertificate: pki.client.certificate });
    expect(await codeOf(m)).toBe('CertificateUntrusted'); // signed by alice, not a gateway
    const ok = seal({
      hop: 'https',
      credential: pki.service,
      hopClientCertificate: pki.client.certificate,
    });
    expect(await codeOf(ok)).toBe('accepted');
  });
});

/** Sign `properties` (with the signer's certificate replaced by bob's) as bob. */
function resignWith(
  pki: TestPki,
  body: Uint8Array,
  properties: Readonly<Record<string, string>>,
): Record<string, string> {
  const props: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(properties).filter(([k]) => k !== TRANSPORT_PROPERTY.signature),
    ),
    [TRANSPORT_PROPERTY.certificate]: pki.client2.certificate.der.toString('base64'),
  };
  props[TRANSPORT_PROPERTY.signature] = sign('sha256', transportSignedBytes('m-1', body, props), {
    key: pki.client2.privateKey,
    padding: constants.RSA_PKCS1_PADDING,
  }).toString('base64');
  return props;
}
