import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { DEFAULT_LABEL, deriveKey, readDerivedKeyToken } from '../../../src/wss/derived-key.js';
import { parseTrusted } from '../../../src/xml/dom.js';
import type { Element } from '../../../src/xml/dom.js';

const NONCE = Buffer.alloc(16, 7).toString('base64');

function token(inner: string, ns = 'http://schemas.xmlsoap.org/ws/2005/02/sc'): Element {
  const doc = parseTrusted(
    `<c:DerivedKeyToken xmlns:c="${ns}" xmlns:o="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">` +
      `<o:SecurityTokenReference><o:Reference URI="#ek"/></o:SecurityTokenReference>${inner}</c:DerivedKeyToken>`,
  );
  return doc.documentElement!;
}

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return isWsseqError(err) ? err.code : 'not a WsseqError';
  }
  return undefined;
}

describe('DerivedKeyToken', () => {
  it('P_SHA1 is the TLS PRF construction (first block by hand)', () => {
    const secret = Buffer.alloc(32, 1);
    const nonce = Buffer.alloc(16, 2);
    const seed = Buffer.concat([Buffer.from(DEFAULT_LABEL), nonce]);
    const a1 = createHmac('sha1', secret).update(seed).digest();
    const block1 = createHmac('sha1', secret).update(a1).update(seed).digest();
    expect(deriveKey(secret, DEFAULT_LABEL, nonce, 0, 20)).toEqual(block1);
    expect(deriveKey(secret, DEFAULT_LABEL, nonce, 4, 16)).toEqual(block1.subarray(4, 20));
    expect(deriveKey(secret, DEFAULT_LABEL, nonce, 0, 32).subarray(0, 20)).toEqual(block1);
  });

  it('reads both namespaces, defaults Length 32, Offset 0 and the label', () => {
    for (const ns of [
      'http://schemas.xmlsoap.org/ws/2005/02/sc',
      'http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512',
    ]) {
      const t = readDerivedKeyToken(token(`<c:Nonce>${NONCE}</c:Nonce>`, ns));
      expect([t.length, t.offset, t.label]).toEqual([32, 0, DEFAULT_LABEL]);
    }
  });

  it('Generation means Offset = Generation × Length', () => {
    const t = readDerivedKeyToken(
      token(`<c:Generation>2</c:Generation><c:Length>24</c:Length><c:Nonce>${NONCE}</c:Nonce>`),
    );
    expect(t.offset).toBe(48);
  });

  it('refuses Offset with Generation, a missing Nonce, unknown children, other algorithms', () => {
    expect(
      code(() =>
        readDerivedKeyToken(
          token(`<c:Offset>0</c:Offset><c:Generation>1</c:Generation><c:Nonce>${NONCE}</c:Nonce>`),
        ),
      ),
    ).toBe('MalformedMessage');
    expect(code(() => readDerivedKeyToken(token('')))).toBe('MalformedMessage');
    expect(
      code(() => readDerivedKeyToken(token(`<c:Properties/><c:Nonce>${NONCE}</c:Nonce>`))),
    ).toBe('MalformedMessage');
    const el = token(`<c:Nonce>${NONCE}</c:Nonce>`);
    el.setAttribute('Algorithm', 'urn:example:other-kdf');
    expect(code(() => readDerivedKeyToken(el))).toBe('UnsupportedAlgorithm');
  });

  it('bounds the work a token can ask for (Length, Offset)', () => {
    expect(
      code(() =>
        readDerivedKeyToken(token(`<c:Length>4096</c:Length><c:Nonce>${NONCE}</c:Nonce>`)),
      ),
    ).toBe('LimitExceeded');
    expect(
      code(() =>
        readDerivedKeyToken(token(`<c:Offset>100000000</c:Offset><c:Nonce>${NONCE}</c:Nonce>`)),
      ),
    ).toBe('LimitExceeded');
    expect(
      code(() => readDerivedKeyToken(token(`<c:Length>8</c:Length><c:Nonce>${NONCE}</c:Nonce>`))),
    ).toBe('LimitExceeded');
  });
});
