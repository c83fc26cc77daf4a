/**
 * Hardened parsing of untrusted messages: no DTD, no entities beyond XML's five, no
 * processing instructions (SOAP forbids them), and limits on size, depth and counts.
 */
import { reject } from '../errors.js';
import { decodeMessage } from './decode.js';
import { buildDocument } from './tree-builder.js';
import {
  COMMENT_NODE,
  DOCUMENT_NODE,
  DOCUMENT_TYPE_NODE,
  ELEMENT_NODE,
  PROCESSING_INSTRUCTION_NODE,
  isElement,
} from './dom.js';
import type { Document, Node } from './dom.js';

/** Limits applied while parsing an untrusted message. Every field has a default. */
export interface ParseLimits {
  /** Largest message accepted, in bytes (UTF-8). Default 16 MiB. */
  readonly maxBytes: number;
  /** Deepest element nesting. Default 64. */
  readonly maxDepth: number;
  /** Most elements in one message. Default 200,000. */
  readonly maxElements: number;
  /** Most attributes (namespace declarations included) on one element. Default 64. */
  readonly maxAttributesPerElement: number;
  /** Most namespace declarations in one message. Default 200,000. */
  readonly maxNamespaceDeclarations?: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 200_000,
  maxAttributesPerElement: 64,
  maxNamespaceDeclarations: 200_000,
});

/** What the parser saw that later stages may care about. */
export interface ParsedDocument {
  readonly document: Document;
  /** True when the document holds at least one comment. */
  readonly hasComments: boolean;
}

/**
 * Parse an untrusted message.
 * @throws WsseqError `LimitExceeded` when a limit is passed, `MalformedMessage` for a DOCTYPE,
 *   an entity declaration, a processing instruction or XML that is not well-formed.
 */
export function parseUntrusted(
  input: string | Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): ParsedDocument {
  // One pass of the hardened tokenizer (encoding, characters, names, namespaces, the limits,
  // at a cost linear in the input) builds the tree: no second parser reads the text.
  const text = decodeMessage(input, limits.maxBytes);
  const { document, hasComments } = buildDocument(text, limits);
  return { document, hasComments };
}

/**
 * Walk the tree under `root` once (iteratively): limits, and node kinds SOAP forbids. `depth`
 * is the depth of `root` itself (0 for a document; for content parsed apart, such as decrypted
 * content, the depth of the element it will be inserted into, the document element being 1).
 * Returns true when the tree holds a comment.
 * @throws WsseqError `LimitExceeded`, `MalformedMessage` (a DOCTYPE or processing instruction).
 */
export function checkStructure(root: Node, limits: ParseLimits, depth = 0): boolean {
  let elements = 0;
  let hasComments = false;
  const stack: { node: Node; depth: number }[] = [{ node: root, depth }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (!top) break;
    const { node, depth } = top;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      switch (c.nodeType) {
        case ELEMENT_NODE: {
          elements++;
          if (elements > limits.maxElements) {
            throw reject('LimitExceeded', `more than ${limits.maxElements} elements`);
          }
          if (depth + 1 > limits.maxDepth) {
            throw reject('LimitExceeded', `elements nested deeper than ${limits.maxDepth}`);
          }
          if (isElement(c) && c.attributes.length > limits.maxAttributesPerElement) {
            throw reject(
              'LimitExceeded',
              `more than ${limits.maxAttributesPerElement} attributes on ${c.tagName}`,
            );
          }
          stack.push({ node: c, depth: depth + 1 });
          break;
        }
        case DOCUMENT_TYPE_NODE:
          throw reject('MalformedMessage', 'a DOCTYPE is not allowed');
        case PROCESSING_INSTRUCTION_NODE:
          // xmldom keeps the XML declaration as a processing instruction named xml.
          if (node.nodeType === DOCUMENT_NODE && (c as Node & { target?: string }).target === 'xml')
            break;
          throw reject('MalformedMessage', 'processing instructions are not allowed in SOAP');
        case COMMENT_NODE:
          hasComments = true;
          break;
        default:
          break;
      }
    }
  }
  return hasComments;
}
