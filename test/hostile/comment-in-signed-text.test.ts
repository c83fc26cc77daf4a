/**
 * A comment inserted into signed text by a man in the middle, after signing:
 * `<m:Item>wid<!---->get</m:Item>`. Exclusive c14n drops comments, so the digest still
 * matches; but a consumer that reads the first text node (`firstChild.nodeValue`, as many
 * SAML libraries once did) sees "wid", not what was signed. wsseq refuses comments inside
 * signed content unless `allowComments` says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected, find, parse } from './attacker.js';

async function setUp() {
  const pki = await getTestPki();
  const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
  const attacked = honest.replace('<m:Item>widget<', '<m:Item>wid<!---->get<');
  expect(attacked).not.toBe(honest);
  return { pki, honest, attacked };
}

describe('comment inserted in signed text', () => {
  it('is refused by default (PolicyViolation)', async () => {
    const { pki, honest, attacked } = await setUp();
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    expect((await opener.open(honest)).body).toContain('<m:Item>widget</m:Item>');
    await expectRejected(opener.open(attacked), 'PolicyViolation');
  });

  it('is accepted with allowComments: true, and that is dangerous', async () => {
    const { pki, attacked } = await setUp();
    const opener = testOpener(pki, { protectionLevel: 'Sign', allowComments: true });
    const result = await opener.open(attacked);
    // The signature holds, yet the first text node of the signed Item is only "wid": any
    // consumer reading it that way acts on text the sender never signed.
    const item = find(parse(result.body), 'urn:example:orders', 'Item');
    expect(item.firstChild?.nodeValue).toBe('wid');
    expect(item.textContent).toBe('widget');
  });
});
