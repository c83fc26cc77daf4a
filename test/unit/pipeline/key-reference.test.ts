/**
 * The one key-reference resolver and its BSP 1.1 table: which reference forms and which
 * ValueType / TokenType each token type needs, at which site.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { TOKEN_RULES, resolveKeyReference, tokenKind } from '../../../src/open/key-reference.js';
import type { KeyTokens, ReferenceSite } from '../../../src/open/key-reference.js';
import type { SymmetricKeyToken } from '../../../src/open/keys.js';
import type { BspRelaxations } from '../../../src/policy/policy.js';
import { DEFAULT_PARSE_LIMITS, parseUntrusted } from '../../../src/xml/parse.js';
import type { Element } from '../../../src/xml/dom.js';
import { IdIndex } from '../../../src/xml/ids.js';
import { NS, VALUE_TYPE } from '../../../src/xml/ns.js';

const WSSE = NS.wsse;
const DK = 'http://schemas.xmlsoap.org/ws/2005/02/sc/dk';
const KERBEROS =
  'http://docs.oasis-open.org/wss/oasis-wss-kerberos-token-profile-1.1#GSS_Kerberosv5_AP_REQ';

const HEADER =
  `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsse11="${NS.wsse11}" xmlns:wsu="${NS.wsu}" ` +
  `xmlns:xenc="${NS.xenc}" xmlns:c="http://schemas.xmlsoap.org/ws/2005/02/sc" xmlns:ds="${NS.ds}">` +
  `<xenc:EncryptedKey Id="ek"/>` +
  `<c:DerivedKeyToken wsu:Id="dk"/>` +
  `<wsse:BinarySecurityToken wsu:Id="krb" ValueType="${KERBEROS}">AA==</wsse:BinarySecurityToken>` +
  `<wsse:BinarySecurityToken wsu:Id="jwt" ValueType="urn:ietf:params:oauth:token-type:jwt">e30</wsse:BinarySecurityToken>` +
  `<wsse:UsernameToken wsu:Id="ut"/>` +
  `<wsse:SecurityTokenReference wsu:Id="str"><wsse:Reference URI="#ek"/></wsse:SecurityTokenReference>` +
  `</wsse:Security>`;

function setup(relaxations: BspRelaxations = {}): {
  tokens: KeyTokens;
  el: (id: string) => Element;
} {
  const { document } = parseUntrusted(HEADER, DEFAULT_PARSE_LIMITS);
  const ids = IdIndex.build(document);
  const el = (id: string): Element => {
    const found = ids.get(id);
    if (!found) throw new Error(id);
    return found;
  };
  const symmetricKeys = new Map<Element, SymmetricKeyToken>();
  for (const id of ['ek', 'dk', 'krb', 'jwt']) {
    symmetricKeys.set(el(id), { key: Buffer.alloc(32, id.length), sha1: undefined });
  }
  const tokens: KeyTokens = {
    ids,
    certificates: new Map(),
    symmetricKeys,
    known: [],
    relaxations: {
      allowMissingEncodingType: relaxations.allowMissingEncodingType === true,
      allowMissingValueType: relaxations.allowMissingValueType === true,
    },
    relaxed: new Set(),
  };
  return { tokens, el };
}

function str(uri: string, valueType?: string, tokenType?: string): Element {
  const tt = tokenType ? ` xmlns:wsse11="${NS.wsse11}" wsse11:TokenType="${tokenType}"` : '';
  const vt = valueType ? ` ValueType="${valueType}"` : '';
  const { document } = parseUntrusted(
    `<wsse:SecurityTokenReference xmlns:wsse="${WSSE}"${tt}><wsse:Reference URI="${uri}"${vt}/></wsse:SecurityTokenReference>`,
    DEFAULT_PARSE_LIMITS,
  );
  const root = document.documentElement;
  if (!root) throw new Error('no root');
  return root;
}

function outcome(ref: Element, site: ReferenceSite, tokens: KeyTokens): string {
  try {
    const r = resolveKeyReference(ref, site, tokens);
    return r.kind === 'symmetric' ? `key:${r.token.localName}` : 'x509';
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
}

describe('key-reference resolver (BSP 1.1 table)', () => {
  it('classifies the token elements', () => {
    const { el } = setup();
    expect(['ek', 'dk', 'krb', 'jwt', 'ut', 'str'].map((id) => tokenKind(el(id)))).toEqual([
      'EncryptedKey',
      'DerivedKeyToken',
      'Kerberos',
      'BinarySecurityToken',
      'UsernameToken',
      undefined,
    ]);
  });

  it('EncryptedKey: typed by ValueType or TokenType (R3059 exception, R3069); untyped only relaxed', () => {
    for (const site of ['Signature', 'EncryptedData', 'DerivedKeyToken'] as const) {
      const { tokens } = setup();
      expect(outcome(str('#ek', VALUE_TYPE.encryptedKeyToken), site, tokens)).toBe(
        'key:EncryptedKey',
      );
      expect(outcome(str('#ek', undefined, VALUE_TYPE.encryptedKeyToken), site, tokens)).toBe(
        'key:EncryptedKey',
      );
      expect(outcome(str('#ek'), site, tokens)).toBe('MalformedMessage');
      expect(tokens.relaxed.size).toBe(0);
      const relaxed = setup({ allowMissingValueType: true }).tokens;
      expect(outcome(str('#ek'), site, relaxed)).toBe('key:EncryptedKey');
      expect([...relaxed.relaxed]).toEqual(['allowMissingValueType']);
    }
  });

  it('DerivedKeyToken: ValueType required (R3059); not a base for another derived key', () => {
    const { tokens } = setup();
    expect(outcome(str('#dk', DK), 'Signature', tokens)).toBe('key:DerivedKeyToken');
    expect(outcome(str('#dk', DK), 'EncryptedData', tokens)).toBe('key:DerivedKeyToken');
    expect(outcome(str('#dk', undefined, DK), 'Signature', tokens)).toBe('MalformedMessage');
    expect(outcome(str('#dk', DK), 'DerivedKeyToken', tokens)).toBe('UnsupportedSecurityToken');
  });

  it('Kerberos: TokenType (R6907) or ValueType; a wrong ValueType is refused (R3058)', () => {
    const { tokens } = setup();
    expect(outcome(str('#krb', undefined, KERBEROS), 'Signature', tokens)).toBe(
      'key:BinarySecurityToken',
    );
    expect(outcome(str('#krb', KERBEROS, KERBEROS), 'EncryptedData', tokens)).toBe(
      'key:BinarySecurityToken',
    );
    expect(outcome(str('#krb', VALUE_TYPE.x509v3), 'Signature', tokens)).toBe('MalformedMessage');
    expect(outcome(str('#krb'), 'Signature', tokens)).toBe('MalformedMessage');
  });

  it("another BinarySecurityToken: the Reference carries the token's own ValueType (R3058)", () => {
    const { tokens } = setup();
    const jwt = 'urn:ietf:params:oauth:token-type:jwt';
    expect(outcome(str('#jwt', jwt), 'Signature', tokens)).toBe('key:BinarySecurityToken');
    expect(outcome(str('#jwt', KERBEROS), 'Signature', tokens)).toBe('MalformedMessage');
    expect(outcome(str('#jwt'), 'Signature', tokens)).toBe('MalformedMessage');
  });

  it('UsernameToken keys nothing; a Reference to a SecurityTokenReference is refused (R3057)', () => {
    const { tokens } = setup();
    expect(outcome(str('#ut', VALUE_TYPE.usernameToken), 'Signature', tokens)).toBe(
      'UnsupportedSecurityToken',
    );
    expect(outcome(str('#str', VALUE_TYPE.encryptedKeyToken), 'Signature', tokens)).toBe(
      'MalformedMessage',
    );
    expect(outcome(str('#nothing', VALUE_TYPE.x509v3), 'Signature', tokens)).toBe(
      'SecurityTokenUnavailable',
    );
  });

  it('an X.509 certificate keys a Signature or an EncryptedKey, never an EncryptedData', () => {
    expect(TOKEN_RULES.X509.sites).toEqual(['Signature', 'EncryptedKey']);
    expect(TOKEN_RULES.EncryptedKey.keyIdentifiers).toEqual([VALUE_TYPE.encryptedKeySha1]);
  });
});
