/**
 * A certificate's identity is built in one place: the Transport mode (the certificate that
 * signed the queued message) gets the same name and claims as the Message mode (the one that
 * signed the Body).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import type { SecurityMode } from '../../../src/transport/modes.js';
import { certificateIdentity, describeIdentity } from '../../../src/trust/identity.js';
import { getTestPki, orderEnvelope } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { runService, testClient, testServiceOptions } from '../../integration/host/harness.js';

async function identityIn(pki: TestPki, mode: SecurityMode) {
  const queue = createMemoryQueue(`identity-${mode}-${process.pid}`);
  await testClient(pki, queue, mode).send(orderEnvelope());
  const run = await runService(testServiceOptions(pki, queue, mode), 1);
  await queue.close();
  return run.handled[0]?.context.identity;
}

describe('certificate identity', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await getTestPki();
  });

  it('carries the common name, e-mails and UPNs as claims', () => {
    const cert = pki.client.certificate;
    const described = describeIdentity(cert);
    const identity = certificateIdentity(cert);
    expect(identity.name).toBe(described.subject);
    expect(identity.credentialType).toBe('Certificate');
    expect(identity.claims).toEqual({
      subject: described.subject,
      issuer: described.issuer,
      thumbprint: described.thumbprint,
      commonName: described.commonName,
      emails: described.emails,
      upns: described.upns,
    });
    expect(described.commonName).toBeDefined();
    expect(identity.roles).toEqual([]);
  });

  it('is the same in Transport mode as in Message mode', async () => {
    const message = await identityIn(pki, 'Message');
    const transport = await identityIn(pki, 'Transport');
    expect(message?.claims.commonName).toBeDefined();
    expect(transport).toEqual(message);
  });
});
