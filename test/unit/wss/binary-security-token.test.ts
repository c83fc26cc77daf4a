import { beforeAll, describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { createX509Token, readX509Token } from '../../../src/wss/binary-security-token.js';
import { CertificateCache } from '../../../src/wss/token-cache.js';
import { parseUntrusted } from '../../../src/xml/parse.js';
import type { Element } from '../../../src/xml/dom.js';
import { getTestPki } from '../../fixtures/pki.js';
import type { TestPki } from '../../fixtures/pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await getTestPki();
});

const OPTIONS = { allowMissingEncodingType: false };

function tokenWithText(text: string): Element {
  const doc = parseUntrusted('<r/>').document;
  const bst = createX509Token(doc, pki.client.certificate, 'X509-1');
  while (bst.firstChild) bst.removeChild(bst.firstChild);
  bst.appendChild(doc.createTextNode(text));
  return bst;
}

function codeOf(read: () => unknown): string | undefined {
  try {
    read();
  } catch (err) {
    return isWsseqError(err) ? err.code : 'not a WsseqError';
  }
  return undefined;
}

describe('X509v3 BinarySecurityToken', () => {
  const b64 = (): string => pki.client.certificate.der.toString('base64');

  it('reads the certificate, with or without whitespace in the text, cached or not', () => {
    const cache = new CertificateCache();
    const wrapped = b64().replace(/(.{64})/g, '$1\n ');
    for (const text of [b64(), wrapped]) {
      expect(readX509Token(tokenWithText(text), OPTIONS).equals(pki.client.certificate)).toBe(true);
      const first = readX509Token(tokenWithText(text), OPTIONS, cache);
      expect(first.equals(pki.client.certificate)).toBe(true);
      expect(readX509Token(tokenWithText(text), OPTIONS, cache)).toBe(first);
    }
  });

  it('refuses text that is not a base64 certificate, every time, cached or not', () => {
    const cache = new CertificateCache();
    const bad = [`${b64()}!`, '', '==', b64().slice(0, 200), `${b64().slice(0, -4)}A===`];
    for (const text of bad) {
      for (let i = 0; i < 2; i++) {
        expect(codeOf(() => readX509Token(tokenWithText(text), OPTIONS, cache))).toBe(
          'UnsupportedSecurityToken',
        );
        expect(codeOf(() => readX509Token(tokenWithText(text), OPTIONS))).toBe(
          'UnsupportedSecurityToken',
        );
      }
    }
  });
});
