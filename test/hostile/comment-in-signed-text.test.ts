/**
 * A comment inserted into signed text by a man in the middle, after signing:
 * `<m:Item>wid<!---->get</m:Item>`. Exclusive c14n (without comments) does not cover comments,
 * so the signature is valid: the message is legitimate, but a consumer that reads the first
 * text node (`firstChild.nodeValue`, as many SAML libraries once did) would see "wid", not
 * what was signed. wsseq accepts it and hands the application exactly what was signed: the
 * signed parts without their comments, so every consumer reads "widget". `refuseComments`
 * refuses such messages instead.
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
  it('is accepted, and every reader of the Body sees the signed text without the comment', async () => {
    const { pki, honest, attacked } = await setUp();
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    expect((await opener.open(honest)).body).toContain('<m:Item>widget</m:Item>');
    const result = await opener.open(attacked);
    expect(result.body).toContain('<m:Item>widget</m:Item>');
    expect(result.body).not.toContain('<!--');
    expect(result.envelope).not.toContain('<!--');
    const fromText = find(parse(result.body), 'urn:example:orders', 'Item');
    expect(fromText.firstChild?.nodeValue).toBe('widget');
    const fromDom = find(result.bodyElement, 'urn:example:orders', 'Item');
    expect(fromDom.firstChild?.nodeValue).toBe('widget');
    expect(fromDom.childNodes.length).toBe(1);
  });

  it('is accepted in a signed header too, without the comment', async () => {
    const { pki } = await setUp();
    const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    // The signed Timestamp's Created text, split by a comment.
    const attacked = honest.replace(/(<wsu:Created>\d{4})/, '$1<!-- x -->');
    expect(attacked).not.toBe(honest);
    const result = await testOpener(pki, { protectionLevel: 'Sign' }).open(attacked);
    expect(result.context.timestamp?.created).toEqual(
      (await testOpener(pki, { protectionLevel: 'Sign' }).open(honest)).context.timestamp?.created,
    );
  });

  it('is refused with refuseComments: true (PolicyViolation)', async () => {
    const { pki, honest, attacked } = await setUp();
    const opener = testOpener(pki, { protectionLevel: 'Sign', refuseComments: true });
    expect((await opener.open(honest)).body).toContain('<m:Item>widget</m:Item>');
    await expectRejected(opener.open(attacked), 'PolicyViolation');
  });

  it('is refused when allowComments is explicitly false, as before (PolicyViolation)', async () => {
    const { pki, attacked } = await setUp();
    const opener = testOpener(pki, { protectionLevel: 'Sign', allowComments: false });
    await expectRejected(opener.open(attacked), 'PolicyViolation');
  });
});
