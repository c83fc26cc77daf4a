/**
 * An XPath (or any non-c14n) transform injected into a Reference: XPath transforms let a
 * signature cover a node set an attacker shapes, and are a denial-of-service vector. Only one
 * exclusive c14n transform is accepted; this is decided before any cryptography.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { ALG, NS, expectRejected, find, importXml, open, resign, serialize } from './attacker.js';

describe('transform injection', () => {
  it('rejects an XPath transform, even properly signed (UnsupportedAlgorithm)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    const transform = find(w.security, NS.ds, 'Transform');
    transform.setAttribute('Algorithm', ALG.xpath);
    transform.appendChild(
      importXml(w.doc, `<ds:XPath xmlns:ds="${NS.ds}">not(ancestor-or-self::m:Item)</ds:XPath>`),
    );
    resign(find(w.security, NS.ds, 'Signature'), pki.client.privateKey, { digests: false });
    await expectRejected(opener.open(serialize(w.doc)), 'UnsupportedAlgorithm');
  });

  it('rejects a second transform (enveloped-signature) next to exclusive c14n (UnsupportedAlgorithm)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    find(w.security, NS.ds, 'Transforms').appendChild(
      importXml(
        w.doc,
        `<ds:Transform xmlns:ds="${NS.ds}" Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>`,
      ),
    );
    await expectRejected(testOpener(pki).open(serialize(w.doc)), 'UnsupportedAlgorithm');
  });
});
