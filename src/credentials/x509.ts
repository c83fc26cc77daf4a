/**
 * The Certificate credential: the client signs with the private key of its X.509 certificate,
 * carried as a BinarySecurityToken (or referred to by thumbprint, SKI or issuer-serial); the
 * service validates that certificate against what it trusts.
 */
import type { KeyObject } from 'node:crypto';
import type { Certificate } from '../trust/certificate.js';
import { certificateIdentity, describeIdentity } from '../trust/identity.js';
import type { CertificateIdentity } from '../trust/identity.js';
import type { TrustStore } from '../trust/validate.js';
import { checkOptions, isPrivateKey, oneOf, required } from '../policy/check-options.js';
import { isCertificate, KEY_REFERENCE_STYLES } from '../policy/option-values.js';
import { isTrustStore } from '../policy/pipeline-options.js';
import { createX509Token } from '../wss/binary-security-token.js';
import { createSecurityTokenReference } from '../wss/token-reference.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';
import type {
  AttachContext,
  Attachment,
  Authentication,
  MessageEvidence,
  ReceiverCredential,
  SenderCredential,
  SigningKey,
} from './types.js';

export interface CertificateCredentialOptions {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
  /** How the signature refers to the certificate. Default 'bst' (the certificate travels). */
  readonly keyReference?: KeyReferenceStyle;
}

/**
 * Attach an X.509 signing key: the BinarySecurityToken (for 'bst') and the KeyInfo reference.
 * Shared by every credential that signs with a client certificate.
 */
export function attachSigningCertificate(
  ctx: AttachContext,
  certificate: Certificate,
  privateKey: KeyObject,
  style: KeyReferenceStyle,
): SigningKey {
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
}

/** Check that a key can sign for the Certificate credential. */
export function assertRsaPrivateKey(privateKey: KeyObject): void {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('signing needs an RSA private key');
  }
}

/**
 * The sender half of the Certificate credential.
 * @throws TypeError when the key is not an RSA private key.
 */
export function certificateCredential(options: CertificateCredentialOptions): SenderCredential {
  // Other fields are allowed: a key pair as loaded (loadPem, a development credential).
  checkOptions<CertificateCredentialOptions>(
    options,
    'options',
    {
      certificate: required(isCertificate),
      privateKey: required(isPrivateKey),
      keyReference: oneOf(KEY_REFERENCE_STYLES),
    },
    { allowUnknownKeys: true },
  );
  const { certificate, privateKey } = options;
  assertRsaPrivateKey(privateKey);
  const style = options.keyReference ?? 'bst';
  return {
    type: 'Certificate',
    attach: (ctx: AttachContext): Attachment => ({
      signingKey: attachSigningCertificate(ctx, certificate, privateKey, style),
    }),
  };
}

const IDENTITY_CACHE_SIZE = 1024;

/**
 * The receiver half of the Certificate credential: the certificate that signed the Body,
 * validated by `trust` for client use. The identity's name is the subject DN.
 * @throws CertificateError (CertificateUntrusted, CertificateExpired, CertificateRevoked,
 *   CertificateNotValidForPurpose).
 */
export function certificateAuthenticator(trust: TrustStore): ReceiverCredential {
  required(isTrustStore)(trust, 'trust');
  // The same clients sign message after message: describe each certificate once (reading its
  // names means parsing ASN.1 in JavaScript, the largest cost of a cached validation).
  const identities = new Map<string, CertificateIdentity>();
  const identityOf = (cert: Certificate): CertificateIdentity => {
    const key = cert.thumbprintSha256;
    let found = identities.get(key);
    if (!found) {
      found = describeIdentity(cert);
      if (identities.size >= IDENTITY_CACHE_SIZE) {
        const oldest = identities.keys().next().value;
        if (oldest !== undefined) identities.delete(oldest);
      }
      identities.set(key, found);
    }
    return found;
  };
  return {
    type: 'Certificate',
    async authenticate(evidence: MessageEvidence): Promise<Authentication | undefined> {
      const cert = evidence.bodySignature?.certificate;
      if (!cert) return undefined;
      const at = evidence.validationTime ?? evidence.now;
      const signer = await trust.validate(cert, evidence.certificates, at, 'client');
      return {
        identity: certificateIdentity(signer.leaf, identityOf(signer.leaf)),
        signer,
      };
    },
  };
}
