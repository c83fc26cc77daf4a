import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import type { WsseqErrorCode } from '../../../src/errors.js';
import {
  computePasswordDigest,
  createUsernameToken,
  readUsernameToken,
} from '../../../src/wss/username-token.js';
import { parseTrusted } from '../../../src/xml/dom.js';
import type { Element } from '../../../src/xml/dom.js';
import { NS, VALUE_TYPE } from '../../../src/xml/ns.js';

const WSSE = `xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}"`;
const B64 =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

function token(inner: string): Element {
  const el = parseTrusted(
    `<wsse:UsernameToken ${WSSE}>${inner}</wsse:UsernameToken>`,
  ).documentElement;
  if (!el) throw new Error('no element');
  return el;
}

function codeOf(fn: () => unknown): WsseqErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
  return undefined;
}

describe('UsernameToken', () => {
  it('writes and reads back a digest token (profile 1.1 order, wsu:Id)', () => {
    const doc = parseTrusted(`<root ${WSSE}/>`);
    const nonce = Buffer.alloc(16, 5);
    const created = new Date('2026-06-01T12:00:00Z');
    const el = createUsernameToken(doc, {
      id: 'UT-1',
      username: 'alice',
      password: 'pw',
      passwordType: 'PasswordDigest',
      nonce,
      created,
    });
    const read = readUsernameToken(el);
    expect(read.id).toBe('UT-1');
    expect(read.username).toBe('alice');
    expect(read.nonce?.equals(nonce)).toBe(true);
    expect(read.createdText).toBe('2026-06-01T12:00:00.000Z');
    expect(read.password).toEqual({
      type: 'PasswordDigest',
      digest: computePasswordDigest(nonce, '2026-06-01T12:00:00.000Z', 'pw'),
    });
    expect(el.getElementsByTagNameNS(NS.wsse, 'Password').item(0)?.textContent).not.toContain('pw');
  });

  it('reads zeep-style tokens (no Id, Created with +00:00)', () => {
    const read = readUsernameToken(
      token(
        `<wsse:Username>a</wsse:Username><wsse:Password Type="${VALUE_TYPE.passwordDigest}">AAAA</wsse:Password>` +
          `<wsse:Nonce EncodingType="${B64}">AAAA</wsse:Nonce><wsu:Created>2026-06-01T12:00:00+00:00</wsu:Created>`,
      ),
    );
    expect(read.id).toBeUndefined();
    expect(read.createdText).toBe('2026-06-01T12:00:00+00:00');
    expect(read.created?.toISOString()).toBe('2026-06-01T12:00:00.000Z');
  });

  it('is strict about structure (BSP R4201, R4220)', () => {
    const user = '<wsse:Username>a</wsse:Username>';
    const text = `<wsse:Password Type="${VALUE_TYPE.passwordText}">x</wsse:Password>`;
    expect(codeOf(() => readUsernameToken(token(text)))).toBe('MalformedMessage');
    expect(codeOf(() => readUsernameToken(token(user + user)))).toBe('MalformedMessage');
    const untyped = token(`${user}<wsse:Password>x</wsse:Password>`);
    expect(codeOf(() => readUsernameToken(untyped, { requirePasswordType: true }))).toBe(
      'MalformedMessage',
    );
    expect(
      codeOf(() => readUsernameToken(token(`${user}${text}<wsse:Nonce>AAAA</wsse:Nonce>`))),
    ).toBe('MalformedMessage');
    expect(
      codeOf(() =>
        readUsernameToken(token(`${user}<wsse:Password Type="urn:x">x</wsse:Password>`)),
      ),
    ).toBe('UnsupportedSecurityToken');
    expect(codeOf(() => readUsernameToken(token(`${user}<wsse:Salt>x</wsse:Salt>`)))).toBe(
      'UnsupportedSecurityToken',
    );
    expect(
      codeOf(() => readUsernameToken(token(`${user}${text}<wsu:Created>yesterday</wsu:Created>`))),
    ).toBe('MalformedMessage');
  });
});
