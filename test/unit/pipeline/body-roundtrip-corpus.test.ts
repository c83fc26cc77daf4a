/**
 * The Body the receiver hands over is the Body the sender was given, for thousands of Bodies
 * from the c14n corpus generator (namespace declarations and inheritance, default namespace
 * undeclaration, xml:* attributes, character and entity references, CDATA, comments, CR/LF,
 * multi-byte UTF-8): secured Sign-only and EncryptAndSign, SOAP 1.1 and 1.2, then opened.
 *
 * The oracle is independent of the streaming core: xmldom parses the original envelope and the
 * result's document, and xml-crypto canonicalizes each Body child on both sides. Then the text
 * `OpenResult.body`, parsed on its own, must canonicalize as the result's Body element does
 * (the lazily kept text and the built elements agree), and a Sign-only wire with one character of the Body
 * content changed must be refused.
 */
import { DOMParser } from '@xmldom/xmldom';
import type { Element, Node } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { isWsseqError } from '../../../src/errors.js';
import type { SenderPolicy } from '../../../src/policy/policy.js';
import { SOAP11, SOAP12, getTestPki, secureAs, testOpener } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';
import { generateCorpus, seededRandom } from '../dsig/c14n-corpus-generator.js';
import { ancestorNamespaces } from '../../support/xml-crypto-context.js';

const COUNT = 200;

/** Corpus documents a SOAP Body can hold: no processing instruction, no prolog. */
const bodies = generateCorpus(0x5eed_b0d1, COUNT * 16)
  .filter((d) => !d.features.has('piInElement') && !d.features.has('prolog'))
  .filter((d) => !d.features.has('nonAsciiPrefix') && !d.features.has('uriNeedsEscape'))
  .map((d) => d.xml.trim())
  .filter((xml) => !/<\?/.test(xml))
  .slice(0, COUNT);

function envelope(version: '1.1' | '1.2', content: string): string {
  const ns = version === '1.1' ? SOAP11 : SOAP12;
  return (
    `<soap:Envelope xmlns:soap="${ns}" xmlns:m="urn:example:orders" xmlns:a="urn:a">` +
    `<soap:Header><m:Route>q</m:Route></soap:Header>` +
    `<soap:Body>\n  ${content}\n</soap:Body></soap:Envelope>`
  );
}

function bodyOf(root: Element): Element {
  for (let c = root.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === 'Body') return c as Element;
  }
  throw new Error('no Body');
}

const c14n = (el: Element): string =>
  new ExclusiveCanonicalization().process(el, { ancestorNamespaces: ancestorNamespaces(el) });

/**
 * The Body's content as the application reads it: each child element canonicalized on its
 * own, the character data between them joined (comments are not content: c14n drops them).
 */
function contentOf(body: Element): string[] {
  const parts: string[] = [];
  let text = '';
  for (let c: Node | null = body.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) {
      parts.push(`T:${text}`, `E:${c14n(c as Element)}`);
      text = '';
    } else if (c.nodeType === 3 || c.nodeType === 4) {
      text += c.nodeValue ?? '';
    }
  }
  parts.push(`T:${text}`);
  return parts;
}

/** The document element of `xml`, standalone. */
function parsedRoot(xml: string): Element {
  const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement;
  if (!root) throw new Error('no document element');
  return root;
}

function originalContent(wireEnvelope: string): string[] {
  const doc = new DOMParser().parseFromString(wireEnvelope, 'text/xml');
  if (!doc.documentElement) throw new Error('no document element');
  return contentOf(bodyOf(doc.documentElement));
}

/**
 * Change one letter of the Body content's signed data in the wire: character data, CDATA or an
 * attribute value (not a name, not a reference, not a comment, which the signature does not
 * cover).
 */
function tamperBodyText(wire: string, rnd: () => number): string | undefined {
  const bodyStart = wire.search(/<[A-Za-z0-9_]+:Body[\s>]/);
  const start = wire.indexOf('>', bodyStart) + 1;
  const end = wire.lastIndexOf('</', wire.lastIndexOf('</') - 1);
  const candidates: number[] = [];
  let quote = '';
  let inTag = false;
  let declaration = false;
  for (let i = start; i < end; i++) {
    const ch = wire[i] ?? '';
    if (!inTag && wire.startsWith('<!--', i)) {
      i = wire.indexOf('-->', i + 4) + 2;
      continue;
    }
    if (!inTag && wire.startsWith('<![CDATA[', i)) {
      const close = wire.indexOf(']]>', i);
      for (let j = i + 9; j < close; j++) if (/[a-z]/.test(wire[j] ?? '')) candidates.push(j);
      i = close + 2;
      continue;
    }
    if (ch === '&') {
      i = wire.indexOf(';', i);
      continue;
    }
    if (inTag) {
      if (quote) {
        if (ch === quote) quote = '';
        else if (/[a-z]/.test(ch) && !declaration) candidates.push(i);
      } else if (ch === '"' || ch === "'") {
        quote = ch;
        // A namespace declaration a signed element does not use is not signed (exclusive c14n).
        declaration = /(?:^|\s)xmlns(?::[^\s=]+)?\s*=\s*$/.test(wire.slice(i - 80, i));
      } else if (ch === '>') inTag = false;
    } else if (ch === '<') inTag = true;
    else if (/[a-z]/.test(ch)) candidates.push(i);
  }
  if (candidates.length === 0) return undefined;
  const at = candidates[Math.floor(rnd() * candidates.length)] ?? start;
  const ch = wire[at] === 'q' ? 'r' : 'q';
  return wire.slice(0, at) + ch + wire.slice(at + 1);
}

describe('the Body handed over is the Body given (round-trip corpus, independent oracle)', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await getTestPki();
  });

  it('the corpus holds enough Bodies', () => {
    expect(bodies.length).toBe(COUNT);
  });

  for (const version of ['1.1', '1.2'] as const) {
    for (const protectionLevel of ['Sign', 'EncryptAndSign'] as const) {
      it(`SOAP ${version}, ${protectionLevel}: the content and the canonical Body agree`, async () => {
        const policy: SenderPolicy = { protectionLevel };
        const opener = testOpener(pki, { protectionLevel });
        const bad: string[] = [];
        for (const content of bodies) {
          const env = envelope(version, content);
          const wire = secureAs(pki, env, policy);
          const result = await opener.open(wire);
          // The lazily kept text, read first, then the elements built from it.
          const text = result.body;
          const got = contentOf(result.bodyElement);
          const want = originalContent(env);
          if (JSON.stringify(got) !== JSON.stringify(want)) {
            bad.push(`content differs for ${content.slice(0, 200)}`);
          } else if (c14n(parsedRoot(text)) !== c14n(result.bodyElement)) {
            bad.push(
              `body text differs from the elements for ${content.slice(0, 200)}\n${text}\n${c14n(result.bodyElement)}`,
            );
          }
          if (bad.length > 3) break;
        }
        expect(bad).toEqual([]);
      });
    }

    it(`SOAP ${version}, Sign: one character of the Body changed on the wire is refused`, async () => {
      const opener = testOpener(pki, { protectionLevel: 'Sign' });
      const rnd = seededRandom(version === '1.1' ? 11 : 12);
      const accepted: string[] = [];
      let tried = 0;
      for (const content of bodies) {
        const wire = secureAs(pki, envelope(version, content), { protectionLevel: 'Sign' });
        const tampered = tamperBodyText(wire, rnd);
        if (tampered === undefined) continue;
        tried++;
        try {
          await opener.open(tampered);
          accepted.push(`${content.slice(0, 300)}\n${tampered.slice(tampered.indexOf('Body'))}`);
        } catch (err) {
          expect(isWsseqError(err)).toBe(true);
        }
      }
      expect(tried).toBeGreaterThan(COUNT / 3);
      expect(accepted).toEqual([]);
    });
  }
});
