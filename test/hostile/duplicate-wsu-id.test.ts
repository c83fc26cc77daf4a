/**
 * Duplicate ids: a second element carrying the id the signature references, so that "find by
 * id" could pick either. The message's id index refuses any id carried twice, whatever the
 * attribute (wsu:Id, unqualified Id, xml:id).
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, idOf, importXml, open, serialize } from './attacker.js';

describe('duplicate ids', () => {
  const decoys: Record<string, (id: string) => string> = {
    'two wsu:Id': (id) =>
      `<x:Decoy xmlns:x="urn:attacker" xmlns:wsu="${NS.wsu}" wsu:Id="${id}">evil</x:Decoy>`,
    'wsu:Id and a plain Id': (id) => `<x:Decoy xmlns:x="urn:attacker" Id="${id}">evil</x:Decoy>`,
    'wsu:Id and xml:id': (id) => `<x:Decoy xmlns:x="urn:attacker" xml:id="${id}">evil</x:Decoy>`,
  };
  for (const [name, decoy] of Object.entries(decoys)) {
    it(`rejects ${name} with the Body's value (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
      const opener = testOpener(pki, { protectionLevel: 'Sign' });
      expect((await opener.open(honest)).body).toContain('widget');

      const w = open(honest);
      w.header.appendChild(importXml(w.doc, decoy(idOf(w.body))));
      await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
    });
  }

  it('rejects a decoy placed before the Body in document order (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    w.header.insertBefore(
      importXml(w.doc, decoys['wsu:Id and a plain Id']!(idOf(w.body))),
      w.header.firstChild,
    );
    await expectRejected(testOpener(pki).open(serialize(w.doc)), 'MalformedMessage');
  });
});
