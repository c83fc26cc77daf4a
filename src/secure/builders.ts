/**
 * The header parts both sender layouts write (the standard pipeline, secure-envelope.ts, and
 * WCF's, wcf-layout.ts): signatures with the suite's algorithms, direct token references,
 * wsu:Id assignment and WS-Addressing headers. One writer for each, so the two layouts cannot
 * drift apart.
 */
import type { KeyObject } from 'node:crypto';
import { createSignature } from '../dsig/sign.js';
import type { SignOptions } from '../dsig/sign.js';
import type { AlgorithmSuite } from '../policy/algorithms.js';
import { createElement, declareNamespace } from '../xml/build.js';
import type { Document, Element } from '../xml/dom.js';
import { idsOf } from '../xml/ids.js';
import { NS, PREFIX } from '../xml/ns.js';

/**
 * A ds:Signature over `targets` with the suite's digest, and its asymmetric signature
 * algorithm for an RSA key or its symmetric (HMAC) one for a secret.
 */
export function signWithSuite(
  doc: Document,
  options: {
    readonly targets: readonly Element[];
    readonly suite: Pick<AlgorithmSuite, 'asymmetricSignature' | 'symmetricSignature' | 'digest'>;
    readonly key: KeyObject | Buffer;
    readonly keyInfo: Element;
    readonly id: string;
    readonly streamedDigest?: SignOptions['streamedDigest'];
  },
): Element {
  const { suite, key } = options;
  return createSignature(doc, {
    references: options.targets,
    signatureAlgorithm: Buffer.isBuffer(key) ? suite.symmetricSignature : suite.asymmetricSignature,
    digestAlgorithm: suite.digest,
    key,
    keyInfo: options.keyInfo,
    id: options.id,
    ...(options.streamedDigest ? { streamedDigest: options.streamedDigest } : {}),
  });
}

/** A SecurityTokenReference with a direct Reference to a token of this message. */
export function createDirectReference(
  doc: Document,
  id: string,
  valueType: string | undefined,
): Element {
  const str = createElement(doc, NS.wsse, `${PREFIX.wsse}:SecurityTokenReference`);
  str.appendChild(
    createElement(
      doc,
      NS.wsse,
      `${PREFIX.wsse}:Reference`,
      valueType === undefined ? { URI: `#${id}` } : { URI: `#${id}`, ValueType: valueType },
    ),
  );
  return str;
}

/**
 * Give `el` the wsu:Id `id` unless it has an id, with `preferredPrefix` when that prefix is
 * free or already bound to wsu (else `wsu`), declaring the namespace where it is not in scope.
 */
export function ensureWsuId(el: Element, id: string, preferredPrefix: string = PREFIX.wsu): void {
  if (idsOf(el).length > 0) return;
  const bound = el.lookupNamespaceURI(preferredPrefix);
  const prefix = bound === null || bound === NS.wsu ? preferredPrefix : PREFIX.wsu;
  if (el.lookupNamespaceURI(prefix) !== NS.wsu) declareNamespace(el, prefix, NS.wsu);
  el.setAttributeNS(NS.wsu, `${prefix}:Id`, id);
}

/** A WS-Addressing 1.0 header `prefix:name` declaring its namespace, with optional text. */
export function createAddressingHeader(
  doc: Document,
  prefix: string,
  name: string,
  text?: string,
): Element {
  const el = createElement(doc, NS.wsa, `${prefix}:${name}`, {}, text);
  declareNamespace(el, prefix, NS.wsa);
  return el;
}
