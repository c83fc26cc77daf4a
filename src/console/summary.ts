/**
 * A queued message's security summary, read without decrypting and without trusting it:
 * the Security header's tokens, algorithms and Timestamp, the signer's certificate as the
 * message presents it (a claim, not a validated identity), and whether the Body is
 * encrypted. Parsed with the library's hardened parser (no DTD, limits).
 *
 * Every string here comes from the message: attacker-controlled, to be escaped on display.
 */
import { parseUntrusted } from '../xml/parse.js';
import { locateEnvelope } from '../xml/soap.js';
import { NS, VALUE_TYPE } from '../xml/ns.js';
import { Certificate } from '../trust/certificate.js';
import { JWT_TOKEN_TYPE } from '../credentials/jwt-token.js';
import { isWsseqError } from '../errors.js';

/** A certificate as a message presents it. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  /** SHA-256, hex. */
  readonly thumbprint: string;
  readonly notBefore: string;
  readonly notAfter: string;
  /** Whether `at` falls inside its validity (not whether anything trusts it). */
  readonly currentlyValid: boolean;
}

/** What the console shows of one message without opening it. */
export interface SecuritySummary {
  readonly size: number;
  /** False when the bytes are not a SOAP envelope (then `problem` says why). */
  readonly soap: boolean;
  readonly problem: string | undefined;
  readonly soapVersion: string | undefined;
  /**
   * Certificate, UserName, IssuedToken, Windows, Encrypted (a token encrypted in the header,
   * unreadable without the key), or None (no credential token).
   */
  readonly credentialType: string;
  readonly signer: CertificateSummary | undefined;
  /** The UsernameToken's user name and password type (never the password). */
  readonly username: string | undefined;
  readonly passwordType: string | undefined;
  readonly issuedToken: { readonly issuer: string; readonly subject: string } | undefined;
  readonly algorithms: {
    readonly signature: string[];
    readonly digest: string[];
    readonly canonicalization: string[];
    readonly keyTransport: string[];
    readonly encryption: string[];
  };
  readonly timestamp:
    { readonly created: string | undefined; readonly expires: string | undefined } | undefined;
  readonly bodyEncrypted: boolean;
  /** Security header children that are encrypted (hidden until the service decrypts). */
  readonly encryptedHeaderElements: number;
  /** The transport signer (Transport, Both modes), from the queued message's properties. */
  readonly transportSigner: CertificateSummary | undefined;
  readonly transportEncrypted: boolean;
}

/** An element of the parsed message (typed from the public envelope locator). */
type Element = ReturnType<typeof locateEnvelope>['body'];

const TRANSPORT_CERTIFICATE = 'wsseq-transport-certificate';
const TRANSPORT_ENCRYPTION = 'wsseq-transport-enc';
const KERBEROS_SUFFIX = '#GSS_Kerberosv5_AP_REQ';

/** Summarize a queued message: its bytes and its queue properties. Never throws. */
export function summarizeMessage(
  body: Uint8Array,
  properties: Readonly<Record<string, string>>,
  at: Date = new Date(),
): SecuritySummary {
  const transportSigner = certificateFromBase64(properties[TRANSPORT_CERTIFICATE], at);
  const transportEncrypted = properties[TRANSPORT_ENCRYPTION] !== undefined;
  const empty: SecuritySummary = {
    size: body.byteLength,
    soap: false,
    problem: undefined,
    soapVersion: undefined,
    credentialType: 'None',
    signer: undefined,
    username: undefined,
    passwordType: undefined,
    issuedToken: undefined,
    algorithms: {
      signature: [],
      digest: [],
      canonicalization: [],
      keyTransport: [],
      encryption: [],
    },
    timestamp: undefined,
    bodyEncrypted: false,
    encryptedHeaderElements: 0,
    transportSigner,
    transportEncrypted,
  };
  if (transportEncrypted) return { ...empty, problem: 'the queued message is transport-encrypted' };
  let envelope;
  try {
    envelope = locateEnvelope(parseUntrusted(body).document);
  } catch (err) {
    const problem = isWsseqError(err) ? `${err.code}: not a readable SOAP envelope` : 'unreadable';
    return { ...empty, problem };
  }
  const security = envelope.header
    ? children(envelope.header).find((el) => is(el, NS.wsse, 'Security'))
    : undefined;
  const bodyEncrypted = children(envelope.body).some((el) => is(el, NS.xenc, 'EncryptedData'));
  const base = { ...empty, soap: true, soapVersion: envelope.version, bodyEncrypted };
  const algorithms = {
    signature: [] as string[],
    digest: [] as string[],
    canonicalization: [] as string[],
    keyTransport: [] as string[],
    encryption: [] as string[],
  };
  for (const el of children(envelope.body)) collectEncryption(el, algorithms.encryption);
  if (!security) return { ...base, algorithms };

  let credentialType = 'None';
  let signer: CertificateSummary | undefined;
  let username: string | undefined;
  let passwordType: string | undefined;
  let issuedToken: SecuritySummary['issuedToken'];
  let timestamp: SecuritySummary['timestamp'];
  let encryptedHeaderElements = 0;
  for (const el of children(security)) {
    if (is(el, NS.wsu, 'Timestamp')) {
      timestamp = {
        created: textOfChild(el, NS.wsu, 'Created'),
        expires: textOfChild(el, NS.wsu, 'Expires'),
      };
    } else if (is(el, NS.wsse, 'BinarySecurityToken')) {
      const valueType = el.getAttribute('ValueType') ?? '';
      const value = (el.textContent ?? '').replace(/\s+/g, '');
      if (valueType === VALUE_TYPE.x509v3) {
        signer ??= certificateFromBase64(value, at);
        if (credentialType === 'None') credentialType = 'Certificate';
      } else if (valueType === JWT_TOKEN_TYPE) {
        credentialType = 'IssuedToken';
        issuedToken = jwtClaims(value);
      } else if (valueType.endsWith(KERBEROS_SUFFIX)) {
        credentialType = 'Windows';
      }
    } else if (is(el, NS.wsse, 'UsernameToken')) {
      credentialType = 'UserName';
      username = textOfChild(el, NS.wsse, 'Username');
      const password = children(el).find((c) => is(c, NS.wsse, 'Password'));
      passwordType = password?.getAttribute('Type')?.split('#').pop();
    } else if (is(el, NS.ds, 'Signature')) {
      collectSignature(el, algorithms);
    } else if (is(el, NS.xenc, 'EncryptedKey')) {
      const method = children(el).find((c) => is(c, NS.xenc, 'EncryptionMethod'));
      pushAlgorithm(algorithms.keyTransport, method);
    } else if (is(el, NS.xenc, 'EncryptedData')) {
      encryptedHeaderElements++;
      collectEncryption(el, algorithms.encryption);
    } else if (el.namespaceURI === NS.wsse11 && el.localName === 'EncryptedHeader') {
      encryptedHeaderElements++;
    }
  }
  // A credential token encrypted in the header (a UsernameToken, usually) cannot be named
  // without decrypting.
  if (credentialType === 'None' && encryptedHeaderElements > 0) credentialType = 'Encrypted';
  return {
    ...base,
    credentialType,
    signer,
    username,
    passwordType,
    issuedToken,
    algorithms,
    timestamp,
    encryptedHeaderElements,
  };
}

function collectSignature(signature: Element, algorithms: SecuritySummary['algorithms']): void {
  const signedInfo = children(signature).find((c) => is(c, NS.ds, 'SignedInfo'));
  if (!signedInfo) return;
  for (const c of children(signedInfo)) {
    if (is(c, NS.ds, 'SignatureMethod')) pushAlgorithm(algorithms.signature, c);
    if (is(c, NS.ds, 'CanonicalizationMethod')) pushAlgorithm(algorithms.canonicalization, c);
    if (is(c, NS.ds, 'Reference')) {
      pushAlgorithm(
        algorithms.digest,
        children(c).find((d) => is(d, NS.ds, 'DigestMethod')),
      );
    }
  }
}

function collectEncryption(el: Element, into: string[]): void {
  if (!is(el, NS.xenc, 'EncryptedData')) return;
  pushAlgorithm(
    into,
    children(el).find((c) => is(c, NS.xenc, 'EncryptionMethod')),
  );
}

function pushAlgorithm(into: string[], el: Element | undefined): void {
  const uri = el?.getAttribute('Algorithm');
  if (uri && !into.includes(uri)) into.push(uri);
}

function certificateFromBase64(
  value: string | undefined,
  at: Date,
): CertificateSummary | undefined {
  if (value === undefined || value === '' || !/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  try {
    const cert = Certificate.fromDer(Buffer.from(value, 'base64'));
    const t = at.getTime();
    return {
      subject: cert.subject,
      issuer: cert.issuer,
      thumbprint: cert.thumbprintSha256,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      currentlyValid: cert.notBefore.getTime() <= t && t <= cert.notAfter.getTime(),
    };
  } catch {
    return undefined;
  }
}

/** The issuer and subject a JWT claims (unverified: decoded only, to show the operator). */
function jwtClaims(token: string): SecuritySummary['issuedToken'] {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { iss, sub } = claims as { iss?: unknown; sub?: unknown };
    return {
      issuer: typeof iss === 'string' ? iss : '',
      subject: typeof sub === 'string' ? sub : '',
    };
  } catch {
    return undefined;
  }
}

function children(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1) out.push(n as Element);
  }
  return out;
}

function is(el: Element, ns: string, localName: string): boolean {
  return el.namespaceURI === ns && el.localName === localName;
}

function textOfChild(el: Element, ns: string, localName: string): string | undefined {
  const child = children(el).find((c) => is(c, ns, localName));
  return child?.textContent ?? undefined;
}

/** Who sent it, as the message claims: the signer's or transport signer's subject. */
export function claimedSender(summary: SecuritySummary): string | undefined {
  return (
    summary.signer?.subject ??
    summary.username ??
    summary.issuedToken?.subject ??
    summary.transportSigner?.subject
  );
}
