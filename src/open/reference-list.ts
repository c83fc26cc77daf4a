/**
 * Receiver: a standalone xenc:ReferenceList in the Security header (WCF's symmetric binding
 * and WS-Security 1.1 layouts). Each DataReference names an EncryptedData — or a
 * wsse11:EncryptedHeader around one — whose own ds:KeyInfo names the key: a DerivedKeyToken
 * or an EncryptedKey processed before the list. The plaintext goes back in place.
 */
import { DecryptionError, reject } from '../errors.js';
import { childElements, isElement } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import {
  contentKeyLength,
  decryptInPlace,
  parseEncryptedData,
  readReferenceList,
} from '../xenc/decrypt.js';
import { decryptBodyContent, isWholeBodyContent } from './body-content.js';
import { encryptedDataKeyInfo, resolveSymmetricKey } from './derived-keys.js';
import type { KeyTokens } from './key-reference.js';
import type { ParsedMessage } from './parse-message.js';
import type { DecryptedPart, DecryptionRecord, ProcessOptions } from './process-header.js';

/**
 * Decrypt what a ReferenceList names.
 * @throws DecryptionError for every failure once a key is in hand; WsseqError
 *   `SecurityTokenUnavailable` / `MalformedMessage` for a reference that names no key.
 */
export function processReferenceList(
  list: Element,
  msg: ParsedMessage,
  keyTokens: KeyTokens,
  options: ProcessOptions,
  record: DecryptionRecord,
): DecryptedPart[] {
  const { policy } = options;
  const parts: DecryptedPart[] = [];
  for (const uri of readReferenceList(list)) {
    const target = msg.ids.get(uri.slice(1));
    if (!target) throw new DecryptionError({ cause: new Error(`no EncryptedData with id ${uri}`) });
    const wrapper = isEncryptedHeader(target) ? target : undefined;
    const dataEl = wrapper ? onlyEncryptedData(wrapper) : target;
    const data = parseEncryptedData(dataEl, policy.allowed.encryption);
    const keyInfo = encryptedDataKeyInfo(dataEl);
    if (!keyInfo) {
      throw reject('SecurityTokenUnavailable', `EncryptedData ${uri} names no key (no KeyInfo)`);
    }
    const resolved = resolveSymmetricKey(keyInfo, 'EncryptedData', keyTokens);
    const needed = contentKeyLength(data);
    const key =
      keyTokens.symmetricKeys.get(resolved.token)?.shorterKeysArePrefixes === true &&
      resolved.key.length > needed
        ? resolved.key.subarray(0, needed)
        : resolved.key;
    const parent = (wrapper ?? dataEl).parentNode;
    if (!isElement(parent)) throw new DecryptionError();
    if (wrapper && data.type !== 'Element') {
      throw reject('MalformedMessage', 'an EncryptedHeader holds Type Element data');
    }
    record.note(data.algorithm);
    if (!wrapper && isWholeBodyContent(data, msg.soap.body, msg.bodyContent)) {
      decryptBodyContent(data, key, msg.soap.body, msg.ids, msg.bodyContent, policy.limits);
      parts.push({ element: parent, type: 'Content', algorithm: data.algorithm });
      continue;
    }
    msg.ids.removeSubtree(wrapper ?? dataEl);
    try {
      const inserted = decryptInPlace(data, key, policy.limits);
      let element = data.type === 'Content' ? parent : inserted.find(isElement);
      if (!element) throw new DecryptionError();
      if (wrapper) {
        // The decrypted header takes the EncryptedHeader's place.
        parent.replaceChild(element, wrapper);
      }
      for (const n of wrapper ? [element] : inserted) msg.ids.addSubtree(n);
      element = data.type === 'Content' ? parent : element;
      parts.push({ element, type: data.type, algorithm: data.algorithm });
    } catch (cause) {
      // A duplicate id in decrypted content must look like any other decryption failure.
      if (cause instanceof DecryptionError) throw cause;
      throw new DecryptionError({ cause });
    }
  }
  return parts;
}

function isEncryptedHeader(el: Element): boolean {
  return el.namespaceURI === NS.wsse11 && el.localName === 'EncryptedHeader';
}

function onlyEncryptedData(header: Element): Element {
  const children = childElements(header);
  const [only] = children;
  if (children.length !== 1 || !only) {
    throw reject('MalformedMessage', 'an EncryptedHeader holds exactly one EncryptedData');
  }
  return only;
}
