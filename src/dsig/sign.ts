/**
 * Create a ds:Signature over elements referenced by id: exclusive c14n, one digest per
 * reference, SignedInfo canonicalized and signed with node:crypto.
 */
import { createHash, createHmac, sign as signBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { C14N, NODE_HASH, SIGNATURE_HASH } from '../policy/algorithms.js';
import type { DigestUri, SignatureUri } from '../policy/algorithms.js';
import { createElement } from '../xml/build.js';
import type { Document, Element } from '../xml/dom.js';
import { idsOf } from '../xml/ids.js';
import { NS, PREFIX } from '../xml/ns.js';
import { canonicalize } from './c14n.js';

export interface SignOptions {
  /** Elements to sign; each must carry an id (wsu:Id or Id). */
  readonly references: readonly Element[];
  readonly signatureAlgorithm: SignatureUri;
  readonly digestAlgorithm: DigestUri;
  /** An RSA private key, or an HMAC secret for the hmac algorithms. */
  readonly key: KeyObject | Buffer;
  /** The content of ds:KeyInfo (a SecurityTokenReference, usually). */
  readonly keyInfo: Element;
  /** Id for the Signature element. */
  readonly id: string;
  /**
   * The digest of a target whose content is held as text (streamed), or undefined to
   * canonicalize the element as it stands.
   */
  readonly streamedDigest?: (target: Element, hash: string) => Buffer | undefined;
}

/** Build the Signature element (not yet inserted anywhere). */
export function createSignature(doc: Document, options: SignOptions): Element {
  const ds = (name: string): string => `${PREFIX.ds}:${name}`;
  const signedInfo = createElement(doc, NS.ds, ds('SignedInfo'));
  const c14nMethod = createElement(doc, NS.ds, ds('CanonicalizationMethod'), {
    Algorithm: C14N.exclusive,
  });
  signedInfo.appendChild(c14nMethod);
  signedInfo.appendChild(
    createElement(doc, NS.ds, ds('SignatureMethod'), { Algorithm: options.signatureAlgorithm }),
  );
  for (const target of options.references) {
    const id = idsOf(target)[0];
    if (id === undefined) throw new TypeError(`${target.tagName} has no id to reference`);
    const ref = createElement(doc, NS.ds, ds('Reference'), { URI: `#${id}` });
    const transforms = createElement(doc, NS.ds, ds('Transforms'));
    transforms.appendChild(
      createElement(doc, NS.ds, ds('Transform'), { Algorithm: C14N.exclusive }),
    );
    ref.appendChild(transforms);
    ref.appendChild(
      createElement(doc, NS.ds, ds('DigestMethod'), { Algorithm: options.digestAlgorithm }),
    );
    const hash = NODE_HASH[options.digestAlgorithm];
    const digest = (
      options.streamedDigest?.(target, hash) ??
      createHash(hash).update(canonicalize(target).text, 'utf8').digest()
    ).toString('base64');
    ref.appendChild(createElement(doc, NS.ds, ds('DigestValue'), {}, digest));
    signedInfo.appendChild(ref);
  }
  const signature = createElement(doc, NS.ds, ds('Signature'), { Id: options.id });
  signature.appendChild(signedInfo);
  const value = computeSignatureValue(
    options.signatureAlgorithm,
    options.key,
    Buffer.from(canonicalize(signedInfo).text, 'utf8'),
  );
  signature.appendChild(
    createElement(doc, NS.ds, ds('SignatureValue'), {}, value.toString('base64')),
  );
  const keyInfo = createElement(doc, NS.ds, ds('KeyInfo'));
  keyInfo.appendChild(options.keyInfo);
  signature.appendChild(keyInfo);
  return signature;
}

function computeSignatureValue(alg: SignatureUri, key: KeyObject | Buffer, data: Buffer): Buffer {
  const hash = SIGNATURE_HASH[alg];
  if (Buffer.isBuffer(key)) return createHmac(hash, key).update(data).digest();
  return signBytes(hash, data, key);
}
