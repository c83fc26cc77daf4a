/** Parse limits: size, depth and attribute count, each refused with LimitExceeded. */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, importXml, open, serialize } from './attacker.js';

describe('limits', () => {
  it('rejects a message over maxBytes (LimitExceeded)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki, { limits: { maxBytes: 10_000 } });
    expect(Buffer.byteLength(honest)).toBeLessThan(10_000);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    w.header.appendChild(
      importXml(w.doc, `<x:Pad xmlns:x="urn:attacker">${'A'.repeat(10_000)}</x:Pad>`),
    );
    const attacked = serialize(w.doc);
    await expectRejected(opener.open(attacked), 'LimitExceeded');
    await expectRejected(opener.open(Buffer.from(attacked)), 'LimitExceeded');
  });

  it('rejects nesting deeper than maxDepth (LimitExceeded)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    const depth = 70; // default maxDepth 64
    w.header.appendChild(
      importXml(w.doc, `${'<x:n xmlns:x="urn:attacker">'.repeat(depth)}${'</x:n>'.repeat(depth)}`),
    );
    await expectRejected(opener.open(serialize(w.doc)), 'LimitExceeded');
  });

  it('rejects more attributes than maxAttributesPerElement (LimitExceeded)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki);
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    const attrs = Array.from({ length: 65 }, (_, i) => ` a${i}="v"`).join(''); // default 64
    w.header.appendChild(importXml(w.doc, `<x:Many xmlns:x="urn:attacker"${attrs}/>`));
    await expectRejected(opener.open(serialize(w.doc)), 'LimitExceeded');
  });

  it('rejects more elements than maxElements (LimitExceeded)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const opener = testOpener(pki, { limits: { maxElements: 100 } });
    expect((await opener.open(honest)).body).toContain('widget');

    const w = open(honest);
    w.header.appendChild(
      importXml(w.doc, `<x:List xmlns:x="urn:attacker">${'<x:i/>'.repeat(100)}</x:List>`),
    );
    await expectRejected(opener.open(serialize(w.doc)), 'LimitExceeded');
  });
});
