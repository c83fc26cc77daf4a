/**
 * The Kerberos acceptor (the receiver), in two steps:
 * - {@link acceptApReq}: the cryptography, done while the Security header is processed
 *   (the key is needed before signatures are verified): unframe the GSS token, refuse
 *   rc4-hmac/DES unless allowed, check the ticket is for our service principal, decrypt the
 *   ticket with the keytab key (usage 2) and the authenticator with the session key (usage
 *   11), check the authenticator's client is the ticket's, take the subkey (else the session
 *   key).
 * - {@link checkApReqTimes}: the time rules, applied once the message's signed Timestamp is
 *   known: the ticket valid at the validation time, the authenticator's ctime within the skew
 *   of the reference instant (the signed Created: the message's age is the policy's business).
 */
import { createHash } from 'node:crypto';
import { reject } from '../errors.js';
import { ENCTYPE_NAME, decrypt, isSupportedEnctype } from './crypto.js';
import type { KerberosKey } from './crypto.js';
import {
  GSS_CHECKSUM_TYPE,
  GSS_FLAG,
  readGssChecksumFlags,
  unframeInitialContextToken,
} from './gss.js';
import { AP_REQ_AUTHENTICATOR_USAGE } from './initiator.js';
import type { KeytabEntry } from './keytab.js';
import {
  principalToString,
  readApReq,
  readAuthenticator,
  readEncTicketPart,
  samePrincipal,
} from './messages.js';
import type { Principal } from './messages.js';

const TICKET_USAGE = 2;
const TICKET_FLAG_INVALID = 1 << (31 - 7);

/** What the acceptor is configured with. */
export interface AcceptorConfig {
  /** The service's keys. */
  readonly keytab: readonly KeytabEntry[];
  /** Accept only tickets for these principals. Default: any principal in the keytab. */
  readonly servicePrincipals: readonly Principal[] | undefined;
  /** Enctypes besides the AES ones the caller explicitly allows (none can be used here). */
  readonly allowWeakEnctypes: boolean;
}

/** An AP-REQ whose ticket and authenticator decrypted and agree. */
export interface AcceptedApReq {
  readonly client: Principal;
  readonly server: Principal;
  /** The context key: the authenticator subkey, else the ticket session key. */
  readonly key: KerberosKey;
  readonly sessionKey: KerberosKey;
  readonly subkey: KerberosKey | undefined;
  readonly authTime: Date;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly ctime: Date;
  readonly cusec: number;
  /** GSS flags from the 0x8003 checksum, if any. */
  readonly gssFlags: number | undefined;
  /** SHA-256 of the authenticator ciphertext: what a replay cache remembers. */
  readonly authenticatorHash: string;
  /** The ticket's enctype. */
  readonly ticketEnctype: number;
}

/**
 * Decrypt and check an AP-REQ (GSS-framed or bare).
 * @throws WsseqError `MalformedMessage` (bad DER or framing), `UnsupportedSecurityToken`
 *   (another GSS mechanism), `UnsupportedAlgorithm` (rc4-hmac, DES, unknown enctypes),
 *   `AuthenticationFailed` (a ticket for another service, no keytab key for it, a ticket or
 *   authenticator that does not decrypt — wrong keytab or tampered — a client mismatch, an
 *   invalid ticket, a mutual-authentication request).
 */
export function acceptApReq(token: Buffer, config: AcceptorConfig): AcceptedApReq {
  const apReq = readApReq(token[0] === 0x60 ? unframeInitialContextToken(token) : token);
  const { ticket } = apReq;
  const etype = ticket.encPart.etype;
  if (!isSupportedEnctype(etype)) {
    const name = ENCTYPE_NAME[etype] ?? `enctype ${String(etype)}`;
    throw reject(
      'UnsupportedAlgorithm',
      config.allowWeakEnctypes
        ? `Kerberos ${name} is allowed by policy but not available (Node's OpenSSL 3 has no RC4, MD4 or DES)`
        : `Kerberos ${name} is refused (only AES enctypes are accepted)`,
    );
  }
  const server = ticket.server;
  if (config.servicePrincipals && !config.servicePrincipals.some((p) => samePrincipal(p, server))) {
    throw reject(
      'AuthenticationFailed',
      `the ticket is for ${principalToString(server)}, not this service`,
    );
  }
  const candidates = config.keytab.filter(
    (e) =>
      samePrincipal(e.principal, server) &&
      e.key.enctype === etype &&
      (ticket.encPart.kvno === undefined || e.kvno === ticket.encPart.kvno),
  );
  if (candidates.length === 0) {
    throw reject(
      'AuthenticationFailed',
      `the keytab has no ${ENCTYPE_NAME[etype] ?? ''} key (kvno ${String(ticket.encPart.kvno)}) for ${principalToString(server)}`,
    );
  }
  let plain: Buffer | undefined;
  for (const c of candidates) {
    try {
      plain = decrypt(c.key, TICKET_USAGE, ticket.encPart.cipher);
      break;
    } catch {
      // Try the next key of that kvno and enctype (several entries are possible).
    }
  }
  if (!plain)
    throw reject(
      'AuthenticationFailed',
      'the ticket does not decrypt with the keytab (wrong key or tampered)',
    );
  const part = readEncTicketPart(plain);
  if (part.flags & TICKET_FLAG_INVALID)
    throw reject('AuthenticationFailed', 'the ticket is marked invalid');
  if (apReq.authenticator.etype !== part.key.enctype) {
    throw reject(
      'AuthenticationFailed',
      'the authenticator is not encrypted with the session key type',
    );
  }
  const authenticator = readAuthenticator(
    decrypt(part.key, AP_REQ_AUTHENTICATOR_USAGE, apReq.authenticator.cipher),
  );
  if (!samePrincipal(authenticator.client, part.client)) {
    throw reject('AuthenticationFailed', 'the authenticator client is not the ticket client');
  }
  let gssFlags: number | undefined;
  if (authenticator.checksum?.type === GSS_CHECKSUM_TYPE) {
    gssFlags = readGssChecksumFlags(authenticator.checksum.value);
    if (gssFlags & GSS_FLAG.mutual) {
      throw reject(
        'AuthenticationFailed',
        'mutual authentication cannot be given to a queued message',
      );
    }
  }
  if (authenticator.subkey && !isSupportedEnctype(authenticator.subkey.enctype)) {
    throw reject('UnsupportedAlgorithm', 'the authenticator subkey enctype is not supported');
  }
  return {
    client: part.client,
    server,
    key: authenticator.subkey ?? part.key,
    sessionKey: part.key,
    subkey: authenticator.subkey,
    authTime: part.authTime,
    startTime: part.startTime ?? part.authTime,
    endTime: part.endTime,
    ctime: new Date(authenticator.ctime.getTime() + Math.floor(authenticator.cusec / 1000)),
    cusec: authenticator.cusec,
    gssFlags,
    authenticatorHash: createHash('sha256').update(apReq.authenticator.cipher).digest('base64'),
    ticketEnctype: etype,
  };
}

/** When the time rules are applied. */
export interface ApReqTimes {
  /** The instant the ticket must be valid at (the signed Created under AtSignedTime, else now). */
  readonly validationTime: Date;
  /** The instant the authenticator was made near: the signed Created, else now. */
  readonly reference: Date;
  readonly skewSeconds: number;
}

/**
 * The ticket valid at the validation time (start − skew ≤ t ≤ end + skew) and the
 * authenticator's ctime within the skew of the reference instant.
 * @throws WsseqError `MessageExpired` (ticket expired or not yet valid, ctime too far from
 *   the reference).
 */
export function checkApReqTimes(accepted: AcceptedApReq, times: ApReqTimes): void {
  const skew = times.skewSeconds * 1000;
  const t = times.validationTime.getTime();
  if (t > accepted.endTime.getTime() + skew) {
    throw reject(
      'MessageExpired',
      `the Kerberos ticket expired at ${accepted.endTime.toISOString()}`,
    );
  }
  if (t < accepted.startTime.getTime() - skew) {
    throw reject('MessageExpired', 'the Kerberos ticket is not yet valid');
  }
  if (Math.abs(accepted.ctime.getTime() - times.reference.getTime()) > skew) {
    throw reject(
      'MessageExpired',
      'the Kerberos authenticator was not made when the message was signed (clock skew too great)',
    );
  }
}
