/**
 * The HTTPS hop (MSMQ over HTTPS): the gateway with each client certificate setting, the
 * sender refusing a gateway whose certificate names another host, and the hop end to end
 * into the service host (Transport and Both, attested by the gateway).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { createClient } from '../../../src/host/create-client.js';
import { createHttpsGateway } from '../../../src/transport/https-gateway.js';
import type { ClientCertificateMode, HttpsGateway } from '../../../src/transport/https-gateway.js';
import { createHttpsQueueSink, sendOverHttps } from '../../../src/transport/https-sender.js';
import type { HttpsSendOptions } from '../../../src/transport/https-sender.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { TRANSPORT_PROPERTY } from '../../../src/transport/transport-security.js';
import { getTestPki, orderEnvelope, TEST_NOW } from '../../helpers.js';
import type { TestCredential, TestPki } from '../../helpers.js';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import {
  rejectionCodes,
  runService,
  testClient,
  testServiceOptions,
  transportTrust,
} from '../host/harness.js';

const HOST = 'service.example';

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return isWsseqError(err) ? err.code : `not a WsseqError: ${String(err)}`;
  }
  return 'resolved';
}

describe('HTTPS hop', () => {
  let pki: TestPki;
  const gateways: HttpsGateway[] = [];
  let n = 0;

  beforeAll(async () => {
    pki = await getTestPki();
  });
  afterAll(async () => {
    for (const g of gateways) await g.close();
  });

  async function gateway(
    clientCertificate: ClientCertificateMode,
    queue: QueueAdapter = createMemoryQueue(`https-${n++}`),
  ): Promise<{ gw: HttpsGateway; queue: QueueAdapter }> {
    const gw = await createHttpsGateway({
      key: pki.service.privateKeyPem,
      cert: pki.service.certificatePem,
      chain: [pki.intermediate.certificate],
      queue,
      clientCertificate,
      trust: transportTrust(pki, {
        revocationMode: 'Offline',
        crls: [pki.crlRoot.pem, pki.crlIntermediate.pem],
      }),
      now: () => TEST_NOW,
    });
    gateways.push(gw);
    return { gw, queue };
  }

  function post(
    gw: HttpsGateway,
    client: TestCredential | undefined,
    extra: Partial<HttpsSendOptions> = {},
  ): Promise<string> {
    return sendOverHttps({
      url: gw.url,
      ca: pki.root.certificate,
      expectedHost: HOST,
      body: Buffer.from(orderEnvelope()),
      ...(client ? { key: client.privateKey, cert: client.certificate } : {}),
      ...extra,
    });
  }

  describe('client certificate Ignore', () => {
    it('accepts a client without a certificate; the hop names no client', async () => {
      const { gw, queue } = await gateway('Ignore');
      const id = await post(gw, undefined);
      const m = await queue.receive();
      expect(m?.id).toBe(id);
      expect(m?.properties[TRANSPORT_PROPERTY.hop]).toBe('https');
      expect(m?.properties[TRANSPORT_PROPERTY.hopClientCertificate]).toBeUndefined();
    });

    it('does not ask for (nor record) a certificate the client has', async () => {
      const { gw, queue } = await gateway('Ignore');
      await post(gw, pki.client);
      const m = await queue.receive();
      expect(m?.properties[TRANSPORT_PROPERTY.hopClientCertificate]).toBeUndefined();
    });
  });

  describe('client certificate Accept', () => {
    it('accepts an anonymous client', async () => {
      const { gw, queue } = await gateway('Accept');
      await post(gw, undefined);
      expect(await queue.count()).toBe(1);
    });

    it('records a good certificate as the hop transport certificate', async () => {
      const { gw, queue } = await gateway('Accept');
      await post(gw, pki.client);
      const m = await queue.receive();
      expect(m?.properties[TRANSPORT_PROPERTY.hopClientCertificate]).toBe(
        pki.client.certificate.der.toString('base64'),
      );
    });

    it('refuses an untrusted certificate that is given (CertificateUntrusted)', async () => {
      const { gw, queue } = await gateway('Accept');
      expect(await codeOf(post(gw, pki.untrustedClient))).toBe('CertificateUntrusted');
      expect(await queue.count()).toBe(0);
    });
  });

  describe('client certificate Require', () => {
    const cases: [string, (p: TestPki) => TestCredential | undefined, string][] = [
      ['missing', () => undefined, 'CertificateRequired'],
      ['untrusted', (p) => p.untrustedClient, 'CertificateUntrusted'],
      ['self-signed', (p) => p.selfSignedClient, 'CertificateUntrusted'],
      ['expired', (p) => p.expiredClient, 'CertificateExpired'],
      ['not yet valid', (p) => p.notYetValidClient, 'CertificateExpired'],
      ['revoked', (p) => p.revokedClient, 'CertificateRevoked'],
      ['server-only EKU', (p) => p.noClientAuthClient, 'CertificateNotValidForPurpose'],
    ];
    for (const [label, pick, code] of cases) {
      it(`${label} certificate: 403 ${code}, nothing enqueued`, async () => {
        const { gw, queue } = await gateway('Require');
        expect(await codeOf(post(gw, pick(pki)))).toBe(code);
        expect(await queue.count()).toBe(0);
      });
    }

    it('good certificate: enqueued with the client certificate attested', async () => {
      const { gw, queue } = await gateway('Require');
      const id = await post(gw, pki.client);
      const m = await queue.receive();
      expect(m?.id).toBe(id);
      expect(m?.properties[TRANSPORT_PROPERTY.hopClientCertificate]).toBeDefined();
    });
  });

  describe('the sender checks the gateway', () => {
    it('fails loudly when the gateway certificate does not name the destination host', async () => {
      const { gw, queue } = await gateway('Ignore');
      let error: unknown;
      try {
        await post(gw, undefined, { expectedHost: 'queues.other.example' });
      } catch (err) {
        error = err;
      }
      expect(isWsseqError(error) && error.code).toBe('CertificateUntrusted');
      expect((error as Error).message).toMatch(/does not name "queues.other.example"/);
      expect(((error as Error).cause as { code?: string }).code).toBe(
        'ERR_TLS_CERT_ALTNAME_INVALID',
      );
      expect(await queue.count()).toBe(0);
    });

    it('by default expects the URL host (127.0.0.1 is not in the certificate)', async () => {
      const { gw } = await gateway('Ignore');
      const noHost = { url: gw.url, ca: pki.root.certificate, body: Buffer.from(orderEnvelope()) };
      expect(await codeOf(sendOverHttps(noHost))).toBe('CertificateUntrusted');
    });

    it('fails when the gateway certificate does not chain to the given CA', async () => {
      const { gw } = await gateway('Ignore');
      expect(await codeOf(post(gw, undefined, { ca: pki.untrustedRoot.certificate }))).toBe(
        'CertificateUntrusted',
      );
    });

    it('fails with a plain Error when nothing listens', async () => {
      const { gw } = await gateway('Ignore');
      const url = gw.url;
      await gw.close();
      gateways.splice(gateways.indexOf(gw), 1);
      await expect(
        sendOverHttps({
          url,
          ca: pki.root.certificate,
          expectedHost: HOST,
          body: Buffer.from('x'),
        }),
      ).rejects.toThrow(/HTTPS hop/);
    });
  });

  describe('end to end into the service host', () => {
    function sink(gw: HttpsGateway, queue: QueueAdapter, tls: TestCredential) {
      return createHttpsQueueSink({
        url: gw.url,
        ca: pki.root.certificate,
        expectedHost: HOST,
        key: tls.privateKey,
        cert: tls.certificate,
        destination: queue.name,
      });
    }

    it('Transport: the TLS client certificate is the transport certificate', async () => {
      const { gw, queue } = await gateway('Require');
      await testClient(pki, sink(gw, queue, pki.client), 'None').send(orderEnvelope());
      const run = await runService(
        {
          ...testServiceOptions(pki, queue, 'Transport'),
          trustedGateways: [pki.service.certificate],
        },
        1,
      );
      expect(run.events.map((e) => e.type)).toEqual(['accepted']);
      const ctx = run.handled[0]!.context;
      expect(ctx.transportCertificate?.equals(pki.client.certificate)).toBe(true);
      expect(ctx.transport?.hop).toBe('https');
      expect(ctx.transport?.signer.equals(pki.service.certificate)).toBe(true);
    });

    it('Both: the TLS certificate and the message signer are the same certificate', async () => {
      const { gw, queue } = await gateway('Require');
      await testClient(pki, sink(gw, queue, pki.client), 'Message').send(orderEnvelope());
      const run = await runService(
        { ...testServiceOptions(pki, queue, 'Both'), trustedGateways: [pki.service.certificate] },
        1,
      );
      expect(run.events.map((e) => e.type)).toEqual(['accepted']);
    });

    it('Both: a TLS certificate other than the message signer is CertificateMismatch', async () => {
      const { gw, queue } = await gateway('Require');
      await testClient(pki, sink(gw, queue, pki.client2), 'Message').send(orderEnvelope());
      const run = await runService(
        { ...testServiceOptions(pki, queue, 'Both'), trustedGateways: [pki.service.certificate] },
        1,
      );
      expect(rejectionCodes(run)).toEqual(['CertificateMismatch']);
    });

    it('Transport: an anonymous hop (Accept, no certificate) is CertificateRequired at the service', async () => {
      const { gw, queue } = await gateway('Accept');
      await post(gw, undefined);
      const run = await runService(
        {
          ...testServiceOptions(pki, queue, 'Transport'),
          trustedGateways: [pki.service.certificate],
        },
        1,
      );
      expect(rejectionCodes(run)).toEqual(['CertificateRequired']);
    });

    it('Message: a service without transport security ignores the gateway attestation', async () => {
      const { gw, queue } = await gateway('Require');
      await testClient(pki, sink(gw, queue, pki.client), 'Message').send(orderEnvelope());
      const run = await runService(testServiceOptions(pki, queue, 'Message'), 1);
      expect(run.events.map((e) => e.type)).toEqual(['accepted']);
      expect(run.handled[0]!.context.transportCertificate).toBeUndefined();
    });

    it('posted transport properties without a signature are dropped before the attestation', async () => {
      const { gw, queue } = await gateway('Require');
      await post(gw, pki.client, {
        properties: {
          [TRANSPORT_PROPERTY.hopClientCertificate]: pki.client2.certificate.der.toString('base64'),
          [TRANSPORT_PROPERTY.encryption]: 'none',
          'x-app': 'kept',
        },
      });
      const m = await queue.receive();
      expect(m?.properties[TRANSPORT_PROPERTY.hopClientCertificate]).toBe(
        pki.client.certificate.der.toString('base64'),
      );
      expect(m?.properties[TRANSPORT_PROPERTY.encryption]).toBeUndefined();
      expect(m?.properties['x-app']).toBe('kept');
    });

    it('an attestation by a gateway the service does not list is CertificateUntrusted', async () => {
      const { gw, queue } = await gateway('Require');
      await post(gw, pki.client);
      const run = await runService(testServiceOptions(pki, queue, 'Transport'), 1);
      expect(rejectionCodes(run)).toEqual(['CertificateUntrusted']);
    });

    it('a message already transport-signed by the sender passes through the gateway unchanged', async () => {
      const { gw, queue } = await gateway('Require');
      const client = createClient({
        queue: sink(gw, queue, pki.client),
        mode: 'Transport',
        transportCredential: pki.client,
        now: () => TEST_NOW,
      });
      await client.send(orderEnvelope());
      const run = await runService(testServiceOptions(pki, queue, 'Transport'), 1);
      expect(run.events.map((e) => e.type)).toEqual(['accepted']);
      expect(run.handled[0]!.context.transport?.hop).toBe('queue');
    });
  });
});
