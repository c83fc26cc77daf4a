/**
 * wsse:UsernameToken (OASIS Web Services Security UsernameToken Profile 1.1): write one, read
 * one strictly.
 *
 * PasswordDigest is `Base64(SHA-1(nonce + created + password))`. The profile fixes SHA-1; it is
 * used here only because interoperability requires it. The digest does not protect a weak
 * password against an offline guess by someone who sees the token, and the receiver needs the
 * password itself (not a hash of it) to check it.
 */
import { createHash } from 'node:crypto';
import { reject } from '../errors.js';
import { createElement } from '../xml/build.js';
import { attr, childElements, textOf } from '../xml/dom.js';
import type { Document, Element } from '../xml/dom.js';
import { idsOf } from '../xml/ids.js';
import { ENCODING_TYPE, NS, PREFIX, VALUE_TYPE } from '../xml/ns.js';
import { parseDateTime } from './timestamp.js';

/** The two password types of the profile. */
export type PasswordType = 'PasswordText' | 'PasswordDigest';

/** What goes into a UsernameToken. */
export interface UsernameTokenFields {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly passwordType: PasswordType;
  /** The nonce (16 random bytes is usual). Required for PasswordDigest. */
  readonly nonce: Buffer;
  /** Written as xsd:dateTime in UTC. */
  readonly created: Date;
  /**
   * Write Nonce and Created (default true). PasswordText tokens may leave them out for peers
   * that cannot read them (Mono's WCF); PasswordDigest needs both.
   */
  readonly nonceAndCreated?: boolean;
}

/**
 * The password part of a token as it arrived. `typeGiven` is false for a Password without a
 * Type attribute, which the profile reads as PasswordText.
 */
export type ReceivedPassword =
  | { readonly type: 'PasswordText'; readonly password: string; readonly typeGiven: boolean }
  | { readonly type: 'PasswordDigest'; readonly digest: Buffer };

/** A UsernameToken as read from a message. */
export interface UsernameToken {
  readonly element: Element;
  /** Its wsu:Id, when it has one (zeep writes none). */
  readonly id: string | undefined;
  readonly username: string;
  /** Undefined when the token carries no Password (not accepted by the authenticator). */
  readonly password: ReceivedPassword | undefined;
  readonly nonce: Buffer | undefined;
  /** Created exactly as written: the digest covers these characters. */
  readonly createdText: string | undefined;
  readonly created: Date | undefined;
}

/** Longest user name, password and nonce accepted from a message (characters / bytes). */
const MAX_FIELD_LENGTH = 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * `Base64(SHA-1(nonce + created + password))` as raw bytes, `created` as written in the token.
 * SHA-1 is the profile's fixed choice (see the module comment).
 */
export function computePasswordDigest(nonce: Buffer, created: string, password: string): Buffer {
  return createHash('sha1').update(nonce).update(created, 'utf8').update(password, 'utf8').digest();
}

/** Build a UsernameToken (profile 1.1 element order: Username, Password, Nonce, Created). */
export function createUsernameToken(doc: Document, fields: UsernameTokenFields): Element {
  const token = createElement(doc, NS.wsse, `${PREFIX.wsse}:UsernameToken`);
  token.setAttributeNS(NS.wsu, `${PREFIX.wsu}:Id`, fields.id);
  token.appendChild(createElement(doc, NS.wsse, `${PREFIX.wsse}:Username`, {}, fields.username));
  const created = fields.created.toISOString();
  const value =
    fields.passwordType === 'PasswordText'
      ? fields.password
      : computePasswordDigest(fields.nonce, created, fields.password).toString('base64');
  token.appendChild(
    createElement(
      doc,
      NS.wsse,
      `${PREFIX.wsse}:Password`,
      {
        Type: VALUE_TYPE[
          fields.passwordType === 'PasswordText' ? 'passwordText' : 'passwordDigest'
        ],
      },
      value,
    ),
  );
  if (fields.nonceAndCreated === false) {
    if (fields.passwordType !== 'PasswordText') {
      throw new TypeError('a PasswordDigest token needs its Nonce and Created');
    }
    return token;
  }
  token.appendChild(
    createElement(
      doc,
      NS.wsse,
      `${PREFIX.wsse}:Nonce`,
      { EncodingType: ENCODING_TYPE.base64 },
      fields.nonce.toString('base64'),
    ),
  );
  token.appendChild(createElement(doc, NS.wsu, `${PREFIX.wsu}:Created`, {}, created));
  return token;
}

/** True when `el` is a wsse:UsernameToken. */
export function isUsernameToken(el: Element): boolean {
  return el.namespaceURI === NS.wsse && el.localName === 'UsernameToken';
}

/** How strictly {@link readUsernameToken} reads. */
export interface ReadUsernameTokenOptions {
  /**
   * Basic Security Profile R4201: refuse a Password without a Type (`MalformedMessage`).
   * Default false: the UsernameToken Profile 1.1 (section 3.1) makes PasswordText the default
   * Type, and WCF clients (Mono's) send the password that way.
   */
  readonly requirePasswordType?: boolean;
}

/**
 * Read a UsernameToken: one Username, at most one Password (without a Type it is PasswordText,
 * unless `requirePasswordType`: BSP R4201), Nonce (Base64Binary, BSP R4220) and Created;
 * nothing else (key-derivation Salt/Iteration is not supported).
 * @throws WsseqError `MalformedMessage`, `UnsupportedSecurityToken`.
 */
export function readUsernameToken(
  el: Element,
  options: ReadUsernameTokenOptions = {},
): UsernameToken {
  const seen = new Map<string, Element>();
  for (const child of childElements(el)) {
    const key = `{${child.namespaceURI ?? ''}}${child.localName ?? ''}`;
    const known =
      (child.namespaceURI === NS.wsse &&
        ['Username', 'Password', 'Nonce'].includes(child.localName ?? '')) ||
      (child.namespaceURI === NS.wsu && child.localName === 'Created');
    if (!known) {
      throw reject('UnsupportedSecurityToken', `unsupported UsernameToken child ${child.tagName}`);
    }
    if (seen.has(key)) {
      throw reject('MalformedMessage', `more than one ${child.tagName} in a UsernameToken`);
    }
    seen.set(key, child);
  }
  const usernameEl = seen.get(`{${NS.wsse}}Username`);
  if (!usernameEl) throw reject('MalformedMessage', 'a UsernameToken has no Username');
  const username = textOf(usernameEl).trim();
  if (username === '' || username.length > MAX_FIELD_LENGTH) {
    throw reject('MalformedMessage', 'the UsernameToken Username is empty or too long');
  }
  const passwordEl = seen.get(`{${NS.wsse}}Password`);
  const password = passwordEl
    ? readPassword(passwordEl, options.requirePasswordType === true)
    : undefined;
  const nonceEl = seen.get(`{${NS.wsse}}Nonce`);
  const nonce = nonceEl ? readNonce(nonceEl) : undefined;
  const createdEl = seen.get(`{${NS.wsu}}Created`);
  const createdText = createdEl ? textOf(createdEl) : undefined;
  const created =
    createdText === undefined ? undefined : parseDateTime(createdText, 'UsernameToken Created');
  const [id] = idsOf(el);
  return { element: el, id, username, password, nonce, createdText, created };
}

function readPassword(el: Element, requireType: boolean): ReceivedPassword {
  const type = attr(el, null, 'Type');
  const value = textOf(el);
  if (value.length > MAX_FIELD_LENGTH) {
    throw reject('MalformedMessage', 'the UsernameToken Password is too long');
  }
  if (type === VALUE_TYPE.passwordText) {
    return { type: 'PasswordText', password: value, typeGiven: true };
  }
  if (type === VALUE_TYPE.passwordDigest) {
    const text = value.trim();
    if (!BASE64.test(text)) throw reject('MalformedMessage', 'the password digest is not base64');
    return { type: 'PasswordDigest', digest: Buffer.from(text, 'base64') };
  }
  if (type === undefined) {
    if (requireType) {
      throw reject('MalformedMessage', 'BSP R4201: a UsernameToken Password needs a Type');
    }
    return { type: 'PasswordText', password: value, typeGiven: false };
  }
  throw reject('UnsupportedSecurityToken', `unsupported password type "${type}"`);
}

function readNonce(el: Element): Buffer {
  const encoding = attr(el, null, 'EncodingType');
  if (encoding !== ENCODING_TYPE.base64) {
    throw reject('MalformedMessage', 'BSP R4220: a Nonce needs EncodingType Base64Binary');
  }
  const text = textOf(el).trim();
  if (!BASE64.test(text) || text.length > MAX_FIELD_LENGTH) {
    throw reject('MalformedMessage', 'the UsernameToken Nonce is not base64');
  }
  return Buffer.from(text, 'base64');
}
