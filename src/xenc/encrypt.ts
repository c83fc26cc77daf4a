/**
 * XML Encryption on the DOM, sender side: replace an element's content (Type Content) or the
 * element itself (Type Element) with xenc:EncryptedData, and build the xenc:EncryptedKey
 * that carries the content key for the recipient.
 */
import { DIGEST, KEY_TRANSPORT, MGF } from '../policy/algorithms.js';
import type { BlockCipherUri, KeyTransportUri } from '../policy/algorithms.js';
import type { Certificate } from '../trust/certificate.js';
import { createElement } from '../xml/build.js';
import { ownerDocumentOf, serialize } from '../xml/dom.js';
import type { Document, Element, Node } from '../xml/dom.js';
import { ENC_TYPE, NS, PREFIX } from '../xml/ns.js';
import { encryptData, encryptDataPartsBase64 } from './cipher.js';
import { wrapKey } from './key-transport.js';

const x = (name: string): string => `${PREFIX.xenc}:${name}`;

function encryptedData(
  doc: Document,
  id: string,
  type: string,
  alg: BlockCipherUri,
  cipher: Buffer | string,
): Element {
  const ed = createElement(doc, NS.xenc, x('EncryptedData'), { Id: id, Type: type });
  ed.appendChild(createElement(doc, NS.xenc, x('EncryptionMethod'), { Algorithm: alg }));
  const cd = createElement(doc, NS.xenc, x('CipherData'));
  const text = typeof cipher === 'string' ? cipher : cipher.toString('base64');
  cd.appendChild(createElement(doc, NS.xenc, x('CipherValue'), {}, text));
  ed.appendChild(cd);
  return ed;
}

/** Encrypt the children of `el` in place; returns the EncryptedData now inside `el`. */
export function encryptContent(el: Element, alg: BlockCipherUri, key: Buffer, id: string): Element {
  let text = '';
  const children: Node[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) children.push(c);
  for (const c of children) text += serialize(c);
  for (const c of children) el.removeChild(c);
  return encryptAsContent(el, Buffer.from(text, 'utf8'), alg, key, id);
}

/**
 * Put the EncryptedData (Type Content) of `plaintext` — `el`'s content, serialized by the
 * caller — into `el`, which must hold nothing else; returns it.
 */
export function encryptAsContent(
  el: Element,
  plaintext: Buffer,
  alg: BlockCipherUri,
  key: Buffer,
  id: string,
): Element {
  const ed = encryptedData(
    ownerDocumentOf(el),
    id,
    ENC_TYPE.content,
    alg,
    encryptData(alg, key, plaintext),
  );
  el.appendChild(ed);
  return ed;
}

/**
 * Put the EncryptedData (Type Content) of `parts` — `el`'s content, serialized by the caller,
 * in pieces encrypted one after the other — into `el`, which must hold nothing else. The
 * CipherValue's base64 text is returned; with `placeholder`, the CipherValue holds that
 * instead, for the caller to splice the text into the serialized message (no DOM text node
 * and no serializer pass over it).
 */
export function encryptPartsAsContent(
  el: Element,
  parts: readonly (string | Buffer)[],
  alg: BlockCipherUri,
  key: Buffer,
  id: string,
  placeholder?: string,
): { readonly element: Element; readonly cipherValue: string } {
  const cipherValue = encryptDataPartsBase64(alg, key, parts);
  const ed = encryptedData(
    ownerDocumentOf(el),
    id,
    ENC_TYPE.content,
    alg,
    placeholder ?? cipherValue,
  );
  el.appendChild(ed);
  return { element: ed, cipherValue };
}

/** Replace `el` with its EncryptedData (Type Element); returns the EncryptedData. */
export function encryptElement(el: Element, alg: BlockCipherUri, key: Buffer, id: string): Element {
  const doc = ownerDocumentOf(el);
  const parent = el.parentNode;
  if (!parent) throw new TypeError('the element to encrypt must be in a document');
  const ed = encryptedData(
    doc,
    id,
    ENC_TYPE.element,
    alg,
    encryptData(alg, key, Buffer.from(serialize(el), 'utf8')),
  );
  parent.replaceChild(ed, el);
  return ed;
}

/** Key transport choices of a sender. */
export interface KeyTransportChoice {
  readonly algorithm: KeyTransportUri;
  /** OAEP digest URI; default SHA-1 for rsa-oaep-mgf1p, SHA-256 for xmlenc11 rsa-oaep. */
  readonly digest?: string;
}

const NODE_DIGEST: Readonly<Record<string, string>> = {
  [DIGEST.sha1]: 'sha1',
  [DIGEST.sha256]: 'sha256',
  [DIGEST.sha384]: 'sha384',
  [DIGEST.sha512]: 'sha512',
};
const MGF_FOR: Readonly<Record<string, string>> = {
  sha1: MGF.mgf1Sha1,
  sha256: MGF.mgf1Sha256,
  sha384: MGF.mgf1Sha384,
  sha512: MGF.mgf1Sha512,
};

/**
 * Build an EncryptedKey for `recipient`, wrapping `key`, referring to the data by id.
 * `keyInfo` is the reference to the recipient's certificate (a SecurityTokenReference).
 */
export function createEncryptedKey(
  doc: Document,
  options: {
    readonly id: string;
    readonly transport: KeyTransportChoice;
    readonly recipient: Certificate;
    readonly keyInfo: Element;
    readonly key: Buffer;
    readonly dataIds: readonly string[];
  },
): Element {
  const { transport } = options;
  const xenc11 = transport.algorithm === KEY_TRANSPORT.rsaOaep;
  const digestUri = transport.digest ?? (xenc11 ? DIGEST.sha256 : DIGEST.sha1);
  const digest = NODE_DIGEST[digestUri];
  if (digest === undefined) throw new TypeError(`unknown OAEP digest ${digestUri}`);
  // rsa-oaep-mgf1p fixes MGF1 to SHA-1; xmlenc11 rsa-oaep uses MGF1 with the digest's hash.
  const mgfDigest = xenc11 ? digest : 'sha1';
  const ek = createElement(doc, NS.xenc, x('EncryptedKey'), { Id: options.id });
  const method = createElement(doc, NS.xenc, x('EncryptionMethod'), {
    Algorithm: transport.algorithm,
  });
  if (transport.algorithm !== KEY_TRANSPORT.rsa15) {
    method.appendChild(
      createElement(doc, NS.ds, `${PREFIX.ds}:DigestMethod`, { Algorithm: digestUri }),
    );
    if (xenc11) {
      const mgf = createElement(doc, NS.xenc11, `${PREFIX.xenc11}:MGF`, {
        Algorithm: MGF_FOR[mgfDigest] ?? MGF.mgf1Sha1,
      });
      mgf.setAttributeNS(NS.xmlns, `xmlns:${PREFIX.xenc11}`, NS.xenc11);
      method.appendChild(mgf);
    }
  }
  ek.appendChild(method);
  const keyInfo = createElement(doc, NS.ds, `${PREFIX.ds}:KeyInfo`);
  keyInfo.appendChild(options.keyInfo);
  ek.appendChild(keyInfo);
  const wrapped = wrapKey(
    { algorithm: transport.algorithm, digest, mgfDigest },
    options.recipient.publicKey,
    options.key,
  );
  const cd = createElement(doc, NS.xenc, x('CipherData'));
  cd.appendChild(createElement(doc, NS.xenc, x('CipherValue'), {}, wrapped.toString('base64')));
  ek.appendChild(cd);
  const list = createElement(doc, NS.xenc, x('ReferenceList'));
  for (const id of options.dataIds)
    list.appendChild(createElement(doc, NS.xenc, x('DataReference'), { URI: `#${id}` }));
  ek.appendChild(list);
  return ek;
}
