/**
 * SOAP mustUnderstand (SOAP 1.1 section 4.2.3, SOAP 1.2 section 5.2.3): a header block for
 * this node that must be understood and is not fails the message with MustUnderstand; headers
 * for other actors are left alone; our Security header and WS-Addressing are understood.
 */
import { describe, expect, it } from 'vitest';
import { MustUnderstandError, isWsseqError } from '../../../src/errors.js';
import type { WsseqErrorCode } from '../../../src/errors.js';
import { toSoapFault } from '../../../src/fault.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import type { ReceiverPolicy } from '../../../src/policy/policy.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { parseTrusted } from '../../../src/xml/dom.js';
import { SOAP11, SOAP12, getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';

const ORDERS = 'urn:example:orders';
const ROUTE = `{${ORDERS}}Route`;
const NEXT11 = 'http://schemas.xmlsoap.org/soap/actor/next';
const ROLE12 = 'http://www.w3.org/2003/05/soap-envelope/role/';

/** The order envelope with `attrs` on its m:Route header (and `extra` headers after it). */
function envelope(version: '1.1' | '1.2', attrs: string, extra = ''): string {
  return orderEnvelope(version).replace(
    '<m:Route>queue-a</m:Route>',
    `<m:Route ${attrs}>queue-a</m:Route>${extra}`,
  );
}

async function verdict(
  wire: string,
  policy: ReceiverPolicy = {},
): Promise<WsseqErrorCode | 'accepted'> {
  const pki = await getTestPki();
  try {
    await testOpener(pki, policy).open(wire);
    return 'accepted';
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
}

async function secured(version: '1.1' | '1.2', attrs: string, extra = ''): Promise<string> {
  return secureAs(await getTestPki(), envelope(version, attrs, extra));
}

describe('mustUnderstand, SOAP 1.1', () => {
  const mu = 'soap:mustUnderstand';
  it('a header for this node with mustUnderstand="1": MustUnderstand, unless the service understands it', async () => {
    const wire = await secured('1.1', `${mu}="1"`);
    expect(await verdict(wire)).toBe('MustUnderstand');
    expect(await verdict(wire, { understoodHeaders: [ROUTE] })).toBe('accepted');
    expect(await verdict(wire, { understoodHeaders: [`{urn:other}Route`] })).toBe('MustUnderstand');
  });

  it('mustUnderstand="0" or absent: accepted', async () => {
    expect(await verdict(await secured('1.1', `${mu}="0"`))).toBe('accepted');
    expect(await verdict(await secured('1.1', `id="r"`))).toBe('accepted');
  });

  it('the "next" actor targets this node; another actor is left alone', async () => {
    const next = await secured('1.1', `${mu}="1" soap:actor="${NEXT11}"`);
    expect(await verdict(next)).toBe('MustUnderstand');
    const other = await secured('1.1', `${mu}="1" soap:actor="urn:example:gateway"`);
    expect(await verdict(other)).toBe('accepted');
  });

  it('"true"/"false" are not SOAP 1.1 values: MalformedMessage', async () => {
    expect(await verdict(await secured('1.1', `${mu}="true"`))).toBe('MalformedMessage');
    expect(await verdict(await secured('1.1', `${mu}="false"`))).toBe('MalformedMessage');
  });

  it('a mustUnderstand attribute of the other SOAP version is not SOAP 1.1 mustUnderstand', async () => {
    const wire = await secured('1.1', `xmlns:s12="${SOAP12}" s12:mustUnderstand="true"`);
    expect(await verdict(wire)).toBe('accepted');
  });
});

describe('mustUnderstand, SOAP 1.2', () => {
  const mu = 'soap:mustUnderstand';
  it('"true", "1" and " true " (xs:boolean) must be understood; "false" and "0" need not', async () => {
    for (const v of ['true', '1', ' true ']) {
      expect(await verdict(await secured('1.2', `${mu}="${v}"`))).toBe('MustUnderstand');
    }
    for (const v of ['false', '0']) {
      expect(await verdict(await secured('1.2', `${mu}="${v}"`))).toBe('accepted');
    }
    expect(await verdict(await secured('1.2', `${mu}="yes"`))).toBe('MalformedMessage');
  });

  it('roles next and ultimateReceiver target this node; none and other roles do not', async () => {
    for (const role of ['next', 'ultimateReceiver']) {
      const wire = await secured('1.2', `${mu}="true" soap:role="${ROLE12}${role}"`);
      expect(await verdict(wire)).toBe('MustUnderstand');
    }
    const none = await secured('1.2', `${mu}="true" soap:role="${ROLE12}none"`);
    expect(await verdict(none)).toBe('accepted');
    const other = await secured('1.2', `${mu}="true" soap:role="urn:example:gateway"`);
    expect(await verdict(other)).toBe('accepted');
  });

  it('the service understands it: accepted', async () => {
    const wire = await secured('1.2', `${mu}="true"`);
    expect(await verdict(wire, { understoodHeaders: [ROUTE] })).toBe('accepted');
  });
});

describe('understood by default', () => {
  it('our Security header (mustUnderstand set by the sender) and WS-Addressing headers', async () => {
    const wsa = (ns: string, name: string, version: '1.1' | '1.2') =>
      `<${name} xmlns="${ns}" xmlns:s="${version === '1.1' ? SOAP11 : SOAP12}" s:mustUnderstand="1">x</${name}>`;
    for (const version of ['1.1', '1.2'] as const) {
      const extra =
        wsa('http://www.w3.org/2005/08/addressing', 'Action', version) +
        wsa('http://schemas.xmlsoap.org/ws/2004/08/addressing', 'To', version);
      const wire = await secured(version, 'id="r"', extra);
      expect(wire).toMatch(/Security[^>]*mustUnderstand="(1|true)"/);
      expect(await verdict(wire)).toBe('accepted');
    }
  });

  it('a second Security header for the next actor is not ours: MustUnderstand', async () => {
    const wsse =
      'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
    const extra = `<wsse:Security xmlns:wsse="${wsse}" soap:actor="${NEXT11}" soap:mustUnderstand="1"/>`;
    expect(await verdict(await secured('1.1', 'id="r"', extra))).toBe('MustUnderstand');
  });
});

describe('checked after verification and authentication', () => {
  it('an untrusted signer learns its certificate is untrusted, not which header is unknown', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, envelope('1.1', 'soap:mustUnderstand="1"'), {}, pki.untrustedClient);
    expect(await verdict(wire)).toBe('CertificateUntrusted');
  });

  it('a tampered Body fails verification before the header is looked at', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, envelope('1.1', 'soap:mustUnderstand="1"'), {
      protectionLevel: 'Sign',
    });
    const tampered = wire.replace('<m:Item>widget</m:Item>', '<m:Item>gadget</m:Item>');
    expect(tampered).not.toBe(wire);
    const err = await verdict(tampered, { protectionLevel: 'Sign' });
    expect(err).not.toBe('MustUnderstand');
    expect(err).not.toBe('accepted');
  });
});

describe('the MustUnderstand fault', () => {
  async function rejection(version: '1.1' | '1.2'): Promise<MustUnderstandError> {
    const pki = await getTestPki();
    const wire = secureAs(pki, envelope(version, 'soap:mustUnderstand="1"'));
    try {
      await testOpener(pki).open(wire);
    } catch (err) {
      if (err instanceof MustUnderstandError) return err;
      throw err;
    }
    throw new Error('accepted');
  }

  it('names the header and nothing more', async () => {
    const err = await rejection('1.1');
    expect(err.code).toBe('MustUnderstand');
    expect(err.fault).toBe('soap:MustUnderstand');
    expect(err.notUnderstood).toEqual([{ namespaceURI: ORDERS, localName: 'Route' }]);
    const fault = toSoapFault(err);
    const doc = parseTrusted(fault);
    expect(doc.getElementsByTagName('faultcode').item(0)?.textContent).toBe('soap:MustUnderstand');
    expect(fault).not.toContain('queue-a');
    expect(fault).not.toContain('Route');
  });

  it('SOAP 1.2: env:MustUnderstand with a NotUnderstood header block per header', async () => {
    const err = await rejection('1.2');
    const fault = toSoapFault(err, { soapVersion: '1.2' });
    const doc = parseTrusted(fault);
    const value = doc.getElementsByTagNameNS(SOAP12, 'Value').item(0);
    expect(value?.textContent).toBe('env:MustUnderstand');
    const blocks = doc.getElementsByTagNameNS(SOAP12, 'NotUnderstood');
    expect(blocks.length).toBe(1);
    const qname = blocks.item(0)?.getAttribute('qname') ?? '';
    const [prefix, local] = qname.split(':');
    expect(local).toBe('Route');
    expect(blocks.item(0)?.lookupNamespaceURI(prefix ?? '')).toBe(ORDERS);
    expect(blocks.item(0)?.parentNode?.localName).toBe('Header');
    expect(fault).not.toContain('queue-a');
  });
});

describe('understoodHeaders is checked at construction', () => {
  it('a name that is not {namespace}localName is a TypeError', async () => {
    const pki = await getTestPki();
    const trust = new TrustStore({ trustedRoots: [pki.root.certificate] });
    for (const bad of ['Route', '{urn:x}', 'urn:x:Route', '{urn:x}a b']) {
      expect(() => createOpener({ trust, policy: { understoodHeaders: [bad] } })).toThrow(
        TypeError,
      );
    }
  });
});
