/**
 * A service configured from a WSDL contract enforces it inside createService: a message the
 * contract's receiver policy lets through but the rest of the contract forbids (here
 * sp:EncryptSignature, with the signature sent in the clear) is rejected, beside the honest
 * message being handled.
 */
import { describe, expect, it } from 'vitest';
import { TrustStore } from 'wsseq';
import type { OpenOptions } from 'wsseq';
import { createMemoryQueue } from 'wsseq/host';
import type { ServiceOptions } from 'wsseq/host';
import { policyFromWsdl } from 'wsseq/wsdl';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { ORDER_SERVICE_WSP2004 } from '../../unit/wsdl/contract.js';
import { rejectionCodes, runService, testServiceOptions } from './harness.js';

const contract = policyFromWsdl(ORDER_SERVICE_WSP2004);

/** Open options without a policy: the service takes the contract's. */
function testOpenOptions(pki: TestPki): OpenOptions {
  return {
    serviceKeys: [pki.service],
    trust: new TrustStore({
      trustedRoots: [pki.root.certificate],
      intermediates: [pki.intermediate.certificate],
    }),
    now: () => TEST_NOW,
  };
}

async function outcome(
  pki: TestPki,
  wire: string,
  options: Partial<ServiceOptions>,
): Promise<string[]> {
  const queue = createMemoryQueue(`contract-${process.pid}-${Date.now()}-${Math.random()}`);
  await queue.send(Buffer.from(wire));
  const base: Omit<ServiceOptions, 'handler'> = { ...testServiceOptions(pki, queue, 'Message') };
  delete (base as { opener?: unknown }).opener;
  const run = await runService({ ...base, ...options }, 1);
  await queue.close();
  return run.events.map((e) =>
    e.type === 'accepted' ? 'accepted' : (rejectionCodes(run)[0] ?? e.type),
  );
}

describe('a service configured from a WSDL contract', () => {
  it('rejects a message whose signature is not encrypted (sp:EncryptSignature)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope(), contract.sender);
    const clearSignature = secureAs(pki, orderEnvelope(), {
      ...contract.sender,
      protectionOrder: 'SignBeforeEncrypt',
    });
    const open = testOpenOptions(pki);
    expect(await outcome(pki, honest, { open, contract })).toEqual(['accepted']);
    expect(await outcome(pki, clearSignature, { open, contract })).toEqual(['PolicyViolation']);
    // Without the contract only its receiver policy applies, which cannot express this rule.
    const policyOnly = { opener: testOpener(pki, contract.receiver) };
    expect(await outcome(pki, clearSignature, policyOnly)).toEqual(['accepted']);
  });

  it('checks a given opener against the contract too', async () => {
    const pki = await getTestPki();
    const clearSignature = secureAs(pki, orderEnvelope(), {
      ...contract.sender,
      protectionOrder: 'SignBeforeEncrypt',
    });
    const opener = testOpener(pki, contract.receiver);
    expect(await outcome(pki, clearSignature, { opener, contract })).toEqual(['PolicyViolation']);
  });
});
