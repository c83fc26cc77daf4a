/**
 * CPU exhaustion: a message whose signatures make the receiver canonicalize and hash a large
 * Body over and over, before any trust decision (the signer is the attacker's own key). Each
 * element is canonicalized once per set of options, and the total canonicalization is
 * bounded by the message size: past that the message is LimitExceeded.
 */
import { describe, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, find, open, resign, serialize } from './attacker.js';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

describe('repeated references to a large Body', () => {
  it('refuses many canonicalization variants of one element (LimitExceeded)', async () => {
    const pki = await getTestPki();
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    const big = orderEnvelope('1.1', 'x'.repeat(100_000));
    const honest = secureAs(pki, big, { protectionLevel: 'Sign' }, pki.untrustedClient);
    // The honest message costs one canonicalization of the Body and fails on trust.
    await expectRejected(opener.open(honest), 'CertificateUntrusted');

    const wire = open(honest);
    const signature = find(wire.security, NS.ds, 'Signature');
    const signedInfo = find(signature, NS.ds, 'SignedInfo');
    const bodyRef = find(signedInfo, NS.ds, 'Reference');
    for (let i = 0; i < 24; i++) {
      const copy = bodyRef.cloneNode(true) as typeof bodyRef;
      const transform = find(copy, NS.ds, 'Transform');
      const inclusive = wire.doc.createElementNS(EXC_C14N, 'ec:InclusiveNamespaces');
      inclusive.setAttribute('PrefixList', `p${i}`);
      transform.appendChild(inclusive);
      signedInfo.appendChild(copy);
    }
    resign(signature, pki.untrustedClient.privateKey);
    await expectRejected(opener.open(serialize(wire.doc)), 'LimitExceeded');
  });

  it('canonicalizes an element once however often it is referenced', async () => {
    const pki = await getTestPki();
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    const wire = open(
      secureAs(pki, orderEnvelope('1.1', 'x'.repeat(100_000)), { protectionLevel: 'Sign' }),
    );
    const signature = find(wire.security, NS.ds, 'Signature');
    const signedInfo = find(signature, NS.ds, 'SignedInfo');
    const bodyRef = find(signedInfo, NS.ds, 'Reference');
    // 29 more references to the Body (the most one signature may have): within budget because
    // the canonical form is reused, so a trusted client's message is still accepted.
    for (let i = 0; i < 29; i++) signedInfo.appendChild(bodyRef.cloneNode(true));
    resign(signature, pki.client.privateKey);
    const result = await opener.open(serialize(wire.doc));
    if (!result.body.includes('xxxx')) throw new Error('the Body was not returned');
  });
});
