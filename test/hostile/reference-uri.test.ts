/**
 * References that are not same-document `#id` references: an external URI (the verifier would
 * fetch attacker content, or leak that it processes the message), an empty URI (the whole
 * document, signature included), a missing URI. Refused before any cryptography. A
 * `#xpointer(/)` reference is read as an id that nothing carries.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { NS, expectRejected, find, open, resign, serialize } from './attacker.js';

describe('reference URIs', () => {
  const uris: Record<string, string | undefined> = {
    'an external http URI': 'http://attacker.example/body.xml',
    'a file URI': 'file:///etc/passwd',
    'an empty URI': '',
    'no URI': undefined,
  };
  for (const [name, uri] of Object.entries(uris)) {
    it(`rejects ${name} (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope());
      const opener = testOpener(pki);
      expect((await opener.open(honest)).body).toContain('widget');

      const w = open(honest);
      const ref = find(w.security, NS.ds, 'Reference');
      if (uri === undefined) ref.removeAttribute('URI');
      else ref.setAttribute('URI', uri);
      resign(find(w.security, NS.ds, 'Signature'), pki.client.privateKey, { digests: false });
      await expectRejected(opener.open(serialize(w.doc)), 'MalformedMessage');
    });
  }

  it('rejects #xpointer(/), properly signed (SecurityTokenUnavailable)', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope()));
    find(w.security, NS.ds, 'Reference').setAttribute('URI', '#xpointer(/)');
    resign(find(w.security, NS.ds, 'Signature'), pki.client.privateKey, { digests: false });
    await expectRejected(testOpener(pki).open(serialize(w.doc)), 'SecurityTokenUnavailable');
  });
});
