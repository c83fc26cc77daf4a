/**
 * A decrypted Body is kept as text: tokenized and checked once, digested by the streaming
 * c14n, and built as elements only when needed. Every rule of the DOM path holds on it: a SOAP
 * Body hidden inside it, an id that repeats one of the header, a character XML forbids — each
 * the one uniform DecryptionFailed; a reference to an element inside it (the slow path) is
 * verified like any other; the Body handed over is the one digested.
 */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import type { TestPki } from '../helpers.js';
import {
  NS,
  attackerKey,
  clear,
  encryptedData,
  expectRejected,
  find,
  fragment,
  idOf,
  importXml,
  open,
  resign,
  serialize,
} from './attacker.js';

const M = 'xmlns:m="urn:example:orders"';
const WSU = `xmlns:wsu="${NS.wsu}"`;

/**
 * A message signed by the trusted client over `signed` as Body content (plus references to
 * `alsoSign` ids inside it), whose Body then carries `sent` encrypted for the service.
 */
function build(
  pki: TestPki,
  signed: string,
  sent: string | ((timestampId: string) => string) = signed,
  alsoSign: readonly string[] = [],
): string {
  const w = open(secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' }));
  clear(w.body);
  const signature = find(w.security, NS.ds, 'Signature');
  const signedInfo = find(signature, NS.ds, 'SignedInfo');
  const template = find(signedInfo, NS.ds, 'Reference');
  for (const id of alsoSign) {
    const ref = template.cloneNode(true) as typeof template;
    ref.setAttribute('URI', `#${id}`);
    signedInfo.appendChild(ref);
  }
  w.body.appendChild(w.doc.importNode(fragment(`<x ${M}>${signed}</x>`), true));
  const wrapper = w.body.firstChild;
  while (wrapper?.firstChild) w.body.insertBefore(wrapper.firstChild, wrapper);
  if (wrapper) w.body.removeChild(wrapper);
  resign(signature, pki.client.privateKey);
  clear(w.body);
  const k = attackerKey(pki.service.certificate);
  const tsId = idOf(find(w.security, NS.wsu, 'Timestamp'));
  const plaintext = typeof sent === 'string' ? sent : sent(tsId);
  w.body.appendChild(importXml(w.doc, encryptedData(k.key, 'ED-body', plaintext, 'Content')));
  w.security.insertBefore(importXml(w.doc, k.encryptedKey(['ED-body'])), signature);
  return serialize(w.doc);
}

const ITEM = `<m:PlaceOrder ${M}><m:Item>widget</m:Item></m:PlaceOrder>`;

describe('a decrypted Body kept as text', () => {
  it('opens honestly and hands over exactly the Body digested', async () => {
    const pki = await getTestPki();
    const result = await testOpener(pki).open(build(pki, ITEM));
    expect(result.body).toContain('<m:Item>widget</m:Item>');
    expect(result.context.encrypted).toContain('Body');
    expect(result.context.signed).toContain('Body');
    // The DOM, built on demand, holds the same content.
    expect(find(result.bodyElement, 'urn:example:orders', 'Item').textContent).toBe('widget');
  });

  it('refuses a SOAP Body hidden inside the decrypted content (DecryptionFailed)', async () => {
    const pki = await getTestPki();
    const stray = `<m:PlaceOrder ${M}><soap:Body xmlns:soap="${NS.soap11}"/></m:PlaceOrder>`;
    await expectRejected(testOpener(pki).open(build(pki, stray)), 'DecryptionFailed');
  });

  it('refuses an id in the decrypted Body that repeats a header id (DecryptionFailed)', async () => {
    const pki = await getTestPki();
    const clash = (tsId: string) =>
      `<m:PlaceOrder ${M} ${WSU} wsu:Id="${tsId}"><m:Item>widget</m:Item></m:PlaceOrder>`;
    await expectRejected(testOpener(pki).open(build(pki, ITEM, clash)), 'DecryptionFailed');
    const twice = `<m:a ${M} ${WSU} wsu:Id="x"/><m:b ${M} Id="x"/>`;
    await expectRejected(testOpener(pki).open(build(pki, ITEM, twice)), 'DecryptionFailed');
  });

  it('refuses characters XML forbids in the decrypted content (DecryptionFailed)', async () => {
    const pki = await getTestPki();
    for (const ch of ['\u0000', '\u0008', '\u001f', '\uFFFE', '\uFFFF']) {
      const bad = `<m:PlaceOrder ${M}><m:Item>wid${ch}get</m:Item></m:PlaceOrder>`;
      await expectRejected(testOpener(pki).open(build(pki, ITEM, bad)), 'DecryptionFailed');
    }
  });

  it('verifies a reference to an element inside the decrypted Body (the slow path)', async () => {
    const pki = await getTestPki();
    const inner = (item: string) =>
      `<m:PlaceOrder ${M}><m:Item ${WSU} wsu:Id="inner-item">${item}</m:Item></m:PlaceOrder>`;
    const result = await testOpener(pki).open(
      build(pki, inner('widget'), inner('widget'), ['inner-item']),
    );
    expect(result.context.signed).toEqual(expect.arrayContaining(['Body', 'Item']));
    expect(result.body).toContain('widget');
    // The same inner element altered after signing: its digest fails.
    await expectRejected(
      testOpener(pki).open(build(pki, inner('widget'), inner('gadget'), ['inner-item'])),
      'SignatureInvalid',
    );
  });

  it('accepts a comment inside signed decrypted content and hands over the Body without it; refuseComments refuses it', async () => {
    const pki = await getTestPki();
    const commented = `<m:PlaceOrder ${M}><m:Item>wid<!---->get</m:Item></m:PlaceOrder>`;
    const wire = build(pki, ITEM, commented);
    await expectRejected(testOpener(pki, { refuseComments: true }).open(wire), 'PolicyViolation');
    const result = await testOpener(pki).open(wire);
    expect(result.body).toContain('<m:Item>widget</m:Item>');
    expect(result.body).not.toContain('<!--');
    const item = result.bodyElement.getElementsByTagNameNS('urn:example:orders', 'Item').item(0);
    expect(item?.firstChild?.nodeValue).toBe('widget');
    expect(result.envelope).not.toContain('<!--');
  });
});

describe('characters XML forbids in the wire message', () => {
  it('are MalformedMessage in text and attributes, beside the honest message', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    expect((await testOpener(pki).open(honest)).body).toContain('widget');
    for (const ch of ['\u0001', '\u000b', '\uFFFF']) {
      const inText = honest.replace('<m:Route>queue-a', `<m:Route>queue${ch}a`);
      expect(inText).not.toBe(honest);
      await expectRejected(testOpener(pki).open(inText), 'MalformedMessage');
      const inAttr = honest.replace('<m:Route>', `<m:Route a="x${ch}">`);
      await expectRejected(testOpener(pki).open(inAttr), 'MalformedMessage');
    }
  });

  it('an encoding declaration that contradicts the bytes is MalformedMessage', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    const declared = (enc: string) =>
      Buffer.from(`<?xml version="1.0" encoding="${enc}"?>${honest}`);
    expect((await testOpener(pki).open(declared('UTF-8'))).body).toContain('widget');
    await expectRejected(testOpener(pki).open(declared('UTF-16')), 'MalformedMessage');
  });
});
