/**
 * A real WCF peer receives what wsseq sends: samples/wcf/mono/WcfService.cs, a self-hosted
 * Mono 6.8 System.ServiceModel service with message security (MutualCertificate WSS 1.1 and
 * 1.0, UserNameForCertificate; suite Basic256), gets wsseq's `createWcfSecurer` messages over
 * HTTP, and the test asserts its one-way operation ran (it prints `RECEIVED item=… quantity=…`).
 *
 * Runs only with WSSEQ_MONO=1 and Mono installed (`mcs`, `mono`; Debian: mono-mcs mono-devel
 * libmono-system-servicemodel4.0a-cil, about 3 minutes). CI does not install Mono, so the
 * file is skipped there. The service is compiled with `mcs` in beforeAll (a few seconds).
 *
 * What Mono needs (see samples/wcf/README.md): no ValueType on the References to the
 * DerivedKeyToken (`derivedKeyValueType: false`), the wsa headers' ids as `u:Id` and their
 * mustUnderstand as "1" (wsseq's securer writes both so), an issuer name in .NET's order for
 * MutualCertificate10, and no `action` parameter in the HTTP Content-Type. The last two tests
 * show that the service silently drops the message otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SenderCredential } from '../../src/credentials/types.js';
import { createWcfSecurer } from '../../src/secure/wcf-layout.js';
import type {
  WcfLayout,
  WcfProtectionOrder,
  WcfSecureOptions,
} from '../../src/secure/wcf-layout.js';
import { usernameCredential } from '../../src/credentials/username.js';
import { clientCredential, keys } from '../unit/wcf/wcf-fixtures.js';
import { buildService, monoEnabled, post, startService } from './mono/mono-service.js';
import type { RunningService } from './mono/mono-service.js';

const ACTION = 'urn:example:orders/PlaceOrder';
const BODY =
  '<PlaceOrder xmlns="urn:example:orders"><item>widget</item><quantity>3</quantity></PlaceOrder>';

/** A bare SOAP 1.2 envelope: the securer adds the addressing headers. */
const BARE =
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  BODY +
  '</s:Body></s:Envelope>';

/** An envelope that brings its own addressing headers, as a caller may. */
function withHeaders(to: string): string {
  return (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">' +
    `<s:Header><a:Action s:mustUnderstand="1">${ACTION}</a:Action>` +
    '<a:MessageID>urn:uuid:0c8f4a52-5f8e-4d5b-9a51-2b1f3c0d7e61</a:MessageID>' +
    '<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>' +
    `<a:To s:mustUnderstand="1">${to}</a:To></s:Header>` +
    `<s:Body>${BODY}</s:Body></s:Envelope>`
  );
}

interface Case {
  readonly name: string;
  readonly variant: string;
  readonly layout: WcfLayout;
  readonly order: WcfProtectionOrder;
  readonly derivedKeys?: WcfSecureOptions['derivedKeys'];
  readonly credential?: () => SenderCredential;
  readonly ownHeaders?: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'MutualCertificate11, SignBeforeEncrypt',
    variant: 'mc11',
    layout: 'MutualCertificate11',
    order: 'SignBeforeEncrypt',
  },
  {
    name: 'MutualCertificate11, SignBeforeEncryptAndEncryptSignature',
    variant: 'mc11-es',
    layout: 'MutualCertificate11',
    order: 'SignBeforeEncryptAndEncryptSignature',
  },
  {
    name: "MutualCertificate11, one derived key (as Mono's client)",
    variant: 'mc11',
    layout: 'MutualCertificate11',
    order: 'SignBeforeEncrypt',
    derivedKeys: 'single',
  },
  {
    name: "MutualCertificate11, the caller's own addressing headers",
    variant: 'mc11',
    layout: 'MutualCertificate11',
    order: 'SignBeforeEncrypt',
    ownHeaders: true,
  },
  {
    name: 'MutualCertificate10, SignBeforeEncrypt',
    variant: 'mc10',
    layout: 'MutualCertificate10',
    order: 'SignBeforeEncrypt',
  },
  {
    name: 'MutualCertificate10, SignBeforeEncryptAndEncryptSignature',
    variant: 'mc10-es',
    layout: 'MutualCertificate10',
    order: 'SignBeforeEncryptAndEncryptSignature',
  },
  {
    // Username and Password only: Mono 6.8 cannot read a UsernameToken with Nonce/Created.
    name: 'UserNameForCertificate (Username and Password only)',
    variant: 'username11',
    layout: 'UserNameForCertificate',
    order: 'SignBeforeEncrypt',
    credential: () =>
      usernameCredential({
        username: 'alice',
        password: 'correct horse',
        passwordType: 'PasswordText',
        nonceAndCreated: false,
      }),
  },
];

function secure(c: Case, url: string, extra: Partial<WcfSecureOptions> = {}): string {
  return createWcfSecurer({
    layout: c.layout,
    credential: (c.credential ?? clientCredential)(),
    serviceCertificate: keys.service.certificate,
    algorithmSuite: 'Basic256',
    allowInsecureAlgorithms: true,
    protectionOrder: c.order,
    derivedKeys: c.derivedKeys ?? 'separate',
    derivedKeyValueType: false,
    ...(c.ownHeaders === true ? {} : { addressing: { action: ACTION, to: url } }),
    ...extra,
  }).secure(c.ownHeaders === true ? withHeaders(url) : BARE);
}

describe.skipIf(!monoEnabled())('a Mono WCF service runs the operation of wsseq messages', () => {
  let exe: string;
  let remove: () => void = () => undefined;
  let service: RunningService | undefined;

  beforeAll(() => {
    ({ exe, remove } = buildService());
  });
  afterEach(() => {
    service?.stop();
    service = undefined;
  });
  afterAll(() => {
    remove();
  });

  for (const c of CASES) {
    it(c.name, async () => {
      service = await startService(exe, c.variant);
      expect(await post(service.url, secure(c, service.url))).toBe(200);
      const out = await service.outcome();
      expect(out, out).toMatch(/^RECEIVED item=widget quantity=3 /m);
    });
  }

  it('is dropped (HTTP 200, no operation) with ValueType on the DerivedKeyToken references', async () => {
    const c = CASES[0];
    if (!c) throw new Error('no case');
    service = await startService(exe, c.variant);
    expect(await post(service.url, secure(c, service.url, { derivedKeyValueType: true }))).toBe(
      200,
    );
    const out = await service.outcome();
    expect(out).toContain("Unexpected ValueType in 'Reference' element");
    expect(out).not.toMatch(/^RECEIVED /m);
  });

  it('is dropped (HTTP 200, no operation) with an action parameter in the Content-Type', async () => {
    const c = CASES[0];
    if (!c) throw new Error('no case');
    service = await startService(exe, c.variant);
    expect(await post(service.url, secure(c, service.url), ACTION)).toBe(200);
    const out = await service.outcome();
    expect(out).toContain('Malformed reference element');
    expect(out).not.toMatch(/^RECEIVED /m);
  });
});
