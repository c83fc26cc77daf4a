/**
 * The Windows credential: Kerberos (WS-Security Kerberos Token Profile 1.1). Receiver half:
 * {@link kerberosAuthenticator}. Sender half: `createKerberosSecurer` (kerberos-secure.ts)
 * with a ticket from `acquireServiceTicket`.
 */
import { readFileSync } from 'node:fs';
import { reject } from '../errors.js';
import { acceptApReq, checkApReqTimes } from '../kerberos/acceptor.js';
import type { AcceptedApReq } from '../kerberos/acceptor.js';
import { ENCTYPE_NAME } from '../kerberos/crypto.js';
import { parseKeytab } from '../kerberos/keytab.js';
import type { KeytabEntry } from '../kerberos/keytab.js';
import { parsePrincipal, principalToString } from '../kerberos/messages.js';
import type { Element } from '../xml/dom.js';
import { NS } from '../xml/ns.js';
import {
  KERBEROS_VALUE_TYPE,
  isKerberosToken,
  kerberosTokenSha1,
  readKerberosToken,
} from './kerberos-token.js';
import type { Authentication, MessageEvidence, ReceiverCredential, TokenKey } from './types.js';

/** Input of {@link kerberosAuthenticator}. */
export interface KerberosAuthenticatorOptions {
  /** The service's keytab: a file path, its bytes, or parsed entries. */
  readonly keytab: string | Buffer | readonly KeytabEntry[];
  /**
   * Accept only tickets for these service principals (`HTTP/host@REALM`). Default: any
   * principal the keytab holds a key for.
   */
  readonly servicePrincipal?: string | readonly string[];
  /** Tolerance on ticket times and on the authenticator's ctime, in seconds. Default 300. */
  readonly maxClockSkewSeconds?: number;
  /**
   * DANGEROUS: accept rc4-hmac and DES tickets. They still fail here with
   * `UnsupportedAlgorithm` (Node's OpenSSL 3 has no RC4, MD4 or DES), only with a message
   * that says so; the option exists so that the refusal is an explicit, reported decision.
   */
  readonly allowWeakEnctypes?: boolean;
}

/**
 * The receiver half of the Windows (Kerberos) credential. During header processing it
 * validates the AP-REQ BinarySecurityToken with the keytab and hands the pipeline the
 * context key (the authenticator subkey, else the ticket session key), so that signatures
 * and encrypted data made with it — through DerivedKeyTokens (WCF) or directly (WSS4J) —
 * verify and decrypt. Then, for the authentication:
 *
 * - exactly one Kerberos token; the Body signed with its key (directly or derived);
 * - the ticket valid at the validation time (`evidence.validationTime`: the signed Created
 *   under `credentialValidation: 'AtSignedTime'`, so a ticket that expired while the
 *   message waited is accepted; else now), with `maxClockSkewSeconds`;
 * - the authenticator's ctime within `maxClockSkewSeconds` of the signed Timestamp's
 *   Created (of now when the Timestamp is not signed): how long the message may wait is the
 *   policy's `maxMessageAgeSeconds`, not Kerberos' five minutes;
 * - replay: the authenticator (hashed) is a replay key, so the opener's replay cache refuses
 *   a copied message and the host's redelivery rule applies as for any credential.
 *
 * Identity: the client principal (`alice@QUEUE.TEST`), credential type `Windows`; claims
 * `principal`, `realm`, `servicePrincipal`, `authTime`, `startTime`, `endTime` (ISO),
 * `enctype`.
 *
 * Limits: no PAC (Windows group SIDs) is read; no AP-REP (no mutual authentication: a
 * queued message has no reply channel); tickets must use AES enctypes.
 *
 * @example
 * const opener = createOpener({
 *   credentials: [kerberosAuthenticator({ keytab: '/etc/service.keytab', servicePrincipal: 'HTTP/queue-service.example@QUEUE.TEST' })],
 *   policy: { maxMessageAgeSeconds: 86400, credentialValidation: 'AtSignedTime' },
 * });
 * @throws TypeError for misuse: an unreadable keytab, a keytab without a key for the
 *   service principal, a bad skew. At authentication: WsseqError `AuthenticationFailed`
 *   (wrong keytab or service principal, tampered ticket or authenticator, client mismatch),
 *   `UnsupportedAlgorithm` (rc4-hmac, DES), `MessageExpired` (ticket or authenticator out
 *   of time), `PolicyViolation` (Body not signed with the Kerberos key, several tokens),
 *   `MalformedMessage`, `LimitExceeded`.
 */
export function kerberosAuthenticator(options: KerberosAuthenticatorOptions): ReceiverCredential {
  const keytab = loadKeytab(options.keytab);
  const names =
    options.servicePrincipal === undefined
      ? undefined
      : typeof options.servicePrincipal === 'string'
        ? [options.servicePrincipal]
        : options.servicePrincipal;
  const servicePrincipals = names?.map((n) => parsePrincipal(n));
  for (const p of servicePrincipals ?? []) {
    if (!keytab.some((e) => principalToString(e.principal) === principalToString(p))) {
      throw new TypeError(`the keytab has no key for ${principalToString(p)}`);
    }
  }
  const skew = options.maxClockSkewSeconds ?? 300;
  if (!Number.isFinite(skew) || skew < 0) throw new TypeError('maxClockSkewSeconds must be >= 0');
  const config = {
    keytab,
    servicePrincipals,
    allowWeakEnctypes: options.allowWeakEnctypes === true,
  };
  // Tokens accepted while their message's header was processed (weakly held: per message).
  const accepted = new WeakMap<Element, AcceptedApReq>();
  return {
    type: 'Windows',
    resolveTokenKey(token: Element): TokenKey | undefined {
      if (!isKerberosToken(token)) return undefined;
      const octets = readKerberosToken(token);
      const result = acceptApReq(octets, config);
      accepted.set(token, result);
      return {
        key: result.key.value,
        shorterKeysArePrefixes: true,
        keyIdentifier: {
          valueType: KERBEROS_VALUE_TYPE.apReqSha1,
          value: kerberosTokenSha1(octets),
        },
      };
    },
    authenticate: (evidence) => Promise.resolve(authenticateKerberos(evidence, accepted, skew)),
  };
}

function authenticateKerberos(
  evidence: MessageEvidence,
  accepted: WeakMap<Element, AcceptedApReq>,
  skew: number,
): Authentication | undefined {
  const tokens = evidence.tokens.filter(isKerberosToken);
  const [token] = tokens;
  if (!token) return undefined;
  if (tokens.length > 1) throw reject('PolicyViolation', 'more than one Kerberos token');
  const ap = accepted.get(token);
  if (!ap) {
    throw reject(
      'SecurityTokenUnavailable',
      'the Kerberos token was not processed with the header',
    );
  }
  const body = evidence.bodySignature;
  if (body?.keyToken !== token) {
    throw reject('PolicyViolation', 'the Body is not signed with the Kerberos token key');
  }
  const timestamp = evidence.timestamp;
  const signedTimestamp =
    timestamp !== undefined &&
    body.covered.some((e) => e.namespaceURI === NS.wsu && e.localName === 'Timestamp');
  const reference = signedTimestamp ? timestamp.created : evidence.now;
  checkApReqTimes(ap, {
    validationTime: evidence.validationTime ?? evidence.now,
    reference,
    skewSeconds: skew,
  });
  const name = principalToString(ap.client);
  return {
    identity: {
      name,
      credentialType: 'Windows',
      claims: {
        principal: name,
        realm: ap.client.realm,
        servicePrincipal: principalToString(ap.server),
        authTime: ap.authTime.toISOString(),
        startTime: ap.startTime.toISOString(),
        endTime: ap.endTime.toISOString(),
        enctype: ENCTYPE_NAME[ap.ticketEnctype] ?? String(ap.ticketEnctype),
      },
      roles: [],
    },
    replayKeys: [`krb5:${ap.authenticatorHash}`],
  };
}

function loadKeytab(input: KerberosAuthenticatorOptions['keytab']): readonly KeytabEntry[] {
  const entries =
    typeof input === 'string'
      ? parseKeytab(readFileSync(input.replace(/^(?:FILE|WRFILE):/, '')))
      : Buffer.isBuffer(input)
        ? parseKeytab(input)
        : [...input];
  if (entries.length === 0) throw new TypeError('the keytab is empty');
  return entries;
}
