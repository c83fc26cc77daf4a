/** A processing instruction in the Body (SOAP forbids them): refused at parse. */
import { describe, expect, it } from 'vitest';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

describe('processing instructions', () => {
  it('rejects a PI in the Body (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope(), { protectionLevel: 'Sign' });
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    expect((await opener.open(honest)).body).toContain('widget');

    const hostile = honest.replace('<m:Item>', '<m:Item><?xml-stylesheet href="x"?>');
    expect(hostile).not.toBe(honest);
    await expectRejected(opener.open(hostile), 'MalformedMessage');
  });

  it('rejects a PI after the Envelope (MalformedMessage)', async () => {
    const pki = await getTestPki();
    const honest = secureAs(pki, orderEnvelope());
    await expectRejected(testOpener(pki).open(`${honest}<?evil?>`), 'MalformedMessage');
  });
});
