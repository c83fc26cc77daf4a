/** Algorithm URIs, in one place, and the WS-SecurityPolicy algorithm suites built on them. */

export const C14N = {
  exclusive: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  exclusiveWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
} as const;

export const DIGEST = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha384: 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

export const SIGNATURE = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha384: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  hmacSha1: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
  hmacSha256: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256',
} as const;

export const BLOCK_CIPHER = {
  aes128Cbc: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
  aes192Cbc: 'http://www.w3.org/2001/04/xmlenc#aes192-cbc',
  aes256Cbc: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
  tripleDesCbc: 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
  aes128Gcm: 'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  aes192Gcm: 'http://www.w3.org/2009/xmlenc11#aes192-gcm',
  aes256Gcm: 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
} as const;

export const KEY_TRANSPORT = {
  rsaOaepMgf1p: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  rsaOaep: 'http://www.w3.org/2009/xmlenc11#rsa-oaep',
  rsa15: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5',
} as const;

export const MGF = {
  mgf1Sha1: 'http://www.w3.org/2009/xmlenc11#mgf1sha1',
  mgf1Sha256: 'http://www.w3.org/2009/xmlenc11#mgf1sha256',
  mgf1Sha384: 'http://www.w3.org/2009/xmlenc11#mgf1sha384',
  mgf1Sha512: 'http://www.w3.org/2009/xmlenc11#mgf1sha512',
} as const;

export type DigestUri = (typeof DIGEST)[keyof typeof DIGEST];
export type SignatureUri = (typeof SIGNATURE)[keyof typeof SIGNATURE];
export type BlockCipherUri = (typeof BLOCK_CIPHER)[keyof typeof BLOCK_CIPHER];
export type KeyTransportUri = (typeof KEY_TRANSPORT)[keyof typeof KEY_TRANSPORT];

/** Node's hash name for each digest URI. */
export const NODE_HASH: Readonly<Record<DigestUri, string>> = {
  [DIGEST.sha1]: 'sha1',
  [DIGEST.sha256]: 'sha256',
  [DIGEST.sha384]: 'sha384',
  [DIGEST.sha512]: 'sha512',
};

/** Node's hash name for each RSA signature URI. */
export const SIGNATURE_HASH: Readonly<Record<SignatureUri, string>> = {
  [SIGNATURE.rsaSha1]: 'sha1',
  [SIGNATURE.rsaSha256]: 'sha256',
  [SIGNATURE.rsaSha384]: 'sha384',
  [SIGNATURE.rsaSha512]: 'sha512',
  [SIGNATURE.hmacSha1]: 'sha1',
  [SIGNATURE.hmacSha256]: 'sha256',
};

/** Algorithms that are refused unless a policy allows them by name. */
export const WEAK_ALGORITHMS: ReadonlySet<string> = new Set([
  DIGEST.sha1,
  SIGNATURE.rsaSha1,
  SIGNATURE.hmacSha1,
  KEY_TRANSPORT.rsa15,
  BLOCK_CIPHER.tripleDesCbc,
]);

/**
 * A WS-SecurityPolicy algorithm suite: what a sender uses and what a receiver accepts.
 * Names follow WS-SecurityPolicy 1.2 (section 6.1), plus GCM suites as Apache CXF names them.
 * Asymmetric signatures in the `Sha256` suites are RSA-SHA256, as WCF and WSS4J use them.
 */
export interface AlgorithmSuite {
  readonly name: AlgorithmSuiteName;
  readonly digest: DigestUri;
  readonly asymmetricSignature: SignatureUri;
  readonly symmetricSignature: SignatureUri;
  readonly encryption: BlockCipherUri;
  readonly keyTransport: KeyTransportUri;
  /** Key length of the content encryption key, in bytes. */
  readonly keyLength: number;
}

export type AlgorithmSuiteName =
  | 'Basic256GCMSha256'
  | 'Basic192GCMSha256'
  | 'Basic128GCMSha256'
  | 'Basic256Sha256'
  | 'Basic192Sha256'
  | 'Basic128Sha256'
  | 'Basic256Sha256Rsa15'
  | 'Basic128Sha256Rsa15'
  | 'TripleDesSha256'
  | 'Basic256'
  | 'Basic192'
  | 'Basic128'
  | 'TripleDes'
  | 'Basic256Rsa15'
  | 'Basic128Rsa15';

function suite(
  name: AlgorithmSuiteName,
  sha256: boolean,
  encryption: BlockCipherUri,
  keyLength: number,
  rsa15 = false,
): AlgorithmSuite {
  return Object.freeze({
    name,
    digest: sha256 ? DIGEST.sha256 : DIGEST.sha1,
    asymmetricSignature: sha256 ? SIGNATURE.rsaSha256 : SIGNATURE.rsaSha1,
    symmetricSignature: sha256 ? SIGNATURE.hmacSha256 : SIGNATURE.hmacSha1,
    encryption,
    keyTransport: rsa15 ? KEY_TRANSPORT.rsa15 : KEY_TRANSPORT.rsaOaepMgf1p,
    keyLength,
  });
}

/** Every suite wsseq knows, by name. */
export const ALGORITHM_SUITES: Readonly<Record<AlgorithmSuiteName, AlgorithmSuite>> = {
  Basic256GCMSha256: suite('Basic256GCMSha256', true, BLOCK_CIPHER.aes256Gcm, 32),
  Basic192GCMSha256: suite('Basic192GCMSha256', true, BLOCK_CIPHER.aes192Gcm, 24),
  Basic128GCMSha256: suite('Basic128GCMSha256', true, BLOCK_CIPHER.aes128Gcm, 16),
  Basic256Sha256: suite('Basic256Sha256', true, BLOCK_CIPHER.aes256Cbc, 32),
  Basic192Sha256: suite('Basic192Sha256', true, BLOCK_CIPHER.aes192Cbc, 24),
  Basic128Sha256: suite('Basic128Sha256', true, BLOCK_CIPHER.aes128Cbc, 16),
  Basic256Sha256Rsa15: suite('Basic256Sha256Rsa15', true, BLOCK_CIPHER.aes256Cbc, 32, true),
  Basic128Sha256Rsa15: suite('Basic128Sha256Rsa15', true, BLOCK_CIPHER.aes128Cbc, 16, true),
  TripleDesSha256: suite('TripleDesSha256', true, BLOCK_CIPHER.tripleDesCbc, 24),
  Basic256: suite('Basic256', false, BLOCK_CIPHER.aes256Cbc, 32),
  Basic192: suite('Basic192', false, BLOCK_CIPHER.aes192Cbc, 24),
  Basic128: suite('Basic128', false, BLOCK_CIPHER.aes128Cbc, 16),
  TripleDes: suite('TripleDes', false, BLOCK_CIPHER.tripleDesCbc, 24),
  Basic256Rsa15: suite('Basic256Rsa15', false, BLOCK_CIPHER.aes256Cbc, 32, true),
  Basic128Rsa15: suite('Basic128Rsa15', false, BLOCK_CIPHER.aes128Cbc, 16, true),
};

/** The default: AES-256-GCM, SHA-256 digests, RSA-SHA256, RSA-OAEP key transport. */
export const DEFAULT_SUITE: AlgorithmSuiteName = 'Basic256GCMSha256';
