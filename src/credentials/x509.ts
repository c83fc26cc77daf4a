/**
 * The Certificate credential: the client signs with the private key of its X.509 certificate,
 * carried as a BinarySecurityToken (or referred to by thumbprint, SKI or issuer-serial).
 */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../trust/certificate.js';
import { createX509Token } from '../wss/binary-security-token.js';
import { createSecurityTokenReference } from '../wss/token-reference.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';
import type { AttachContext, SenderCredential, SigningKey } from './types.js';

export interface CertificateCredentialOptions {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
  /** How the signature refers to the certificate. Default 'bst' (the certificate travels). */
  readonly keyReference?: KeyReferenceStyle;
}

/**
 * The sender half of the Certificate credential.
 * @throws TypeError when the key is not an RSA private key.
 */
export function certificateCredential(options: CertificateCredentialOptions): SenderCredential {
  const { certificate, privateKey } = options;
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('the Certificate credential needs an RSA private key');
  }
  const style = options.keyReference ?? 'bst';
  return {
    type: 'Certificate',
    attach(ctx: AttachContext): SigningKey {
      if (style === 'bst') {
        const id = ctx.newId('X509');
        const bst = createX509Token(ctx.document, certificate, id);
        ctx.security.appendChild(bst);
        return {
          privateKey,
          certificate,
          keyInfo: createSecurityTokenReference(ctx.document, 'bst', certificate, id),
          tokens: [bst],
        };
      }
      return {
        privateKey,
        certificate,
        keyInfo: createSecurityTokenReference(ctx.document, style, certificate),
        tokens: [],
      };
    },
  };
}
