/**
 * The canonicalizers the c14n differential corpus (`c14n-corpus.test.ts`) and its unit tests
 * check: the streaming one the pipeline uses (tokenizer → exclusive c14n → sink).
 */
import {
  ExclusiveCanonicalizer,
  StringSink,
  canonicalizeDocument,
} from '../../../src/dsig/c14n-stream.js';
import { DEFAULT_PARSE_LIMITS } from '../../../src/xml/parse.js';
import { tokenize } from '../../../src/xml/tokenizer.js';
import type { NamespaceScope, StartTag, TokenHandler } from '../../../src/xml/tokenizer.js';

export interface C14nTestOptions {
  /** InclusiveNamespaces PrefixList; `#default` names the default namespace. */
  inclusivePrefixes?: string[];
  /** The #WithComments variant. */
  withComments?: boolean;
}

const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

const LARGE = { ...DEFAULT_PARSE_LIMITS, maxBytes: 1 << 30, maxElements: 1 << 24, maxDepth: 4096 };

/** Exclusive c14n of the document element of `xml`. */
export function canonicalizeXmlForTest(xml: string, o: C14nTestOptions): string {
  return canonicalizeDocument(xml, o);
}

/**
 * Exclusive c14n of the one element of `xml` carrying `wsu:Id="<id>"` (a subtree deep in the
 * document, with namespaces inherited from its ancestors), as a signature reference does: the
 * document is tokenized once and only the apex's subtree is fed to the canonicalizer.
 */
export function canonicalizeSubtreeForTest(xml: string, id: string, o: C14nTestOptions): string {
  const sink = new StringSink();
  const c14n = new ExclusiveCanonicalizer(sink, o);
  let found = 0;
  let apexDepth = 0;
  const handler: TokenHandler = {
    startElement(tag: StartTag, scope: NamespaceScope) {
      if (
        apexDepth === 0 &&
        tag.attributes.some((a) => a.uri === WSU && a.local === 'Id' && a.value === id)
      ) {
        found++;
        apexDepth = tag.depth;
      }
      if (apexDepth > 0) c14n.startElement(tag, scope);
    },
    endElement(tag: StartTag) {
      if (apexDepth === 0) return;
      c14n.endElement(tag);
      if (tag.depth === apexDepth) apexDepth = 0;
    },
    text(value: string) {
      if (apexDepth > 0) c14n.text(value);
    },
    comment(value: string) {
      if (apexDepth > 0) c14n.comment(value);
    },
  };
  const text = xml.includes('\r') ? xml.replace(/\r\n?/g, '\n') : xml;
  tokenize(text, handler, { limits: LARGE });
  if (found !== 1) throw new Error(`${found} elements with wsu:Id ${id}`);
  return sink.text;
}
