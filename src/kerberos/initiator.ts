/**
 * The Kerberos initiator (the sender): a service ticket for the service principal, from the
 * user's credential cache (what `kinit` left: a cached service ticket, else a TGS exchange
 * with the TGT) or from a keytab (an AS exchange, then TGS); then, per message, an AP-REQ
 * with a fresh authenticator and random subkey, framed as a GSS InitialContextToken with no
 * mutual authentication (a queued message cannot get an AP-REP).
 */
import { randomInt } from 'node:crypto';
import { reject } from '../errors.js';
import { ENCTYPE_NAME, encrypt, isSupportedEnctype, randomKey } from './crypto.js';
import type { KerberosKey } from './crypto.js';
import { defaultCredentialCachePath, readCredentialCache } from './ccache.js';
import { frameInitialContextToken, GSS_CHECKSUM_TYPE, GSS_FLAG, gssChecksum } from './gss.js';
import { kdcFailure, requestInitialTicket, requestServiceTicket } from './kdc.js';
import type { IssuedTicket } from './kdc.js';
import { readKeytab } from './keytab.js';
import { readKrb5Config } from './krb5-conf.js';
import { encodeApReq, encodeAuthenticator, parsePrincipal, samePrincipal } from './messages.js';
import type { Principal } from './messages.js';

/** Key usage of the AP-REQ authenticator (RFC 4120 §7.5.1). */
export const AP_REQ_AUTHENTICATOR_USAGE = 11;

/** Where the initiator's credentials come from. */
export interface ServiceTicketOptions {
  /** The service principal, e.g. `HTTP/queue-service.example@QUEUE.TEST` (realm: the default realm). */
  readonly servicePrincipal: string;
  /** A FILE: credential cache. Default `KRB5CCNAME`, else /tmp/krb5cc_<uid>. Ignored with a keytab. */
  readonly credentialCache?: string;
  /** A keytab holding the client's key (service accounts); needs `principal`. */
  readonly keytab?: string;
  /** The client principal whose key the keytab holds. */
  readonly principal?: string;
  /** KDC addresses (host:port). Default: the realm's `kdc` entries in krb5.conf (`KRB5_CONFIG`). */
  readonly kdcs?: readonly string[];
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** KDC timeout in milliseconds. Default 10000. */
  readonly timeoutMs?: number;
  /** Where KRB5_CONFIG and KRB5CCNAME are read. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Obtain a service ticket.
 * @throws TypeError for misuse (a keytab without a principal, an unreadable cache or keytab);
 *   WsseqError `AuthenticationFailed` when there is no valid TGT or the KDC refuses (unknown
 *   principal, wrong key), `UnsupportedAlgorithm` when only rc4/DES keys are available.
 */
export async function acquireServiceTicket(options: ServiceTicketOptions): Promise<IssuedTicket> {
  const env = options.env ?? process.env;
  const config = readKrb5Config(env);
  const server = parsePrincipal(options.servicePrincipal, config.defaultRealm);
  const now = (options.now ?? (() => new Date()))();
  const kdcsOf = (realm: string): readonly string[] => {
    const list = options.kdcs ?? config.kdcs.get(realm);
    if (!list || list.length === 0)
      throw new TypeError(`no KDC known for realm ${realm} (krb5.conf)`);
    return list;
  };
  const exchange = {
    now,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  try {
    let tgt: IssuedTicket;
    if (options.keytab !== undefined) {
      if (!options.principal) throw new TypeError('a keytab needs the client principal');
      const client = parsePrincipal(options.principal, config.defaultRealm);
      const keys = readKeytab(options.keytab)
        .filter((e) => samePrincipal(e.principal, client))
        .map((e) => e.key);
      if (keys.length === 0) throw new TypeError(`the keytab has no key for ${options.principal}`);
      tgt = await requestInitialTicket(client, keys, { ...exchange, kdcs: kdcsOf(client.realm) });
    } else {
      const cache = readCredentialCache(options.credentialCache ?? defaultCredentialCachePath(env));
      const valid = cache.credentials.filter(
        (c) => c.endTime > now && c.startTime <= new Date(now.getTime() + 300_000),
      );
      const cached = valid.find(
        (c) => samePrincipal(c.server, server) && isSupportedEnctype(c.key.enctype),
      );
      if (cached) return { ...cached, sessionKey: cached.key };
      const tgs: Principal = {
        nameType: 2,
        components: ['krbtgt', server.realm],
        realm: cache.principal.realm,
      };
      const found = valid.find((c) => samePrincipal(c.server, tgs));
      if (!found) {
        throw reject(
          'AuthenticationFailed',
          `no valid TGT for ${server.realm} in the credential cache (kinit)`,
        );
      }
      tgt = { ...found, sessionKey: found.key };
    }
    return await requestServiceTicket(tgt, server, { ...exchange, kdcs: kdcsOf(server.realm) });
  } catch (err) {
    throw kdcFailure(err, `service ticket for ${options.servicePrincipal}`);
  }
}

/** One message's AP-REQ and the key it establishes. */
export interface ApReqToken {
  /** The GSS InitialContextToken (the KTP 1.1 GSS_Kerberosv5_AP_REQ value). */
  readonly token: Buffer;
  /** The authenticator subkey: the key the message is signed and encrypted with. */
  readonly key: KerberosKey;
}

/**
 * Make an AP-REQ for a ticket: authenticator with the client name, a GSS 0x8003 checksum
 * (integrity and confidentiality flags, no mutual authentication), ctime `now`, and a fresh
 * random subkey of the session key's enctype.
 * @throws WsseqError `UnsupportedAlgorithm` when the session key is rc4-hmac or DES;
 *   `AuthenticationFailed` when the ticket has expired at `now`.
 */
export function createApReq(ticket: IssuedTicket, now: Date = new Date()): ApReqToken {
  if (!isSupportedEnctype(ticket.sessionKey.enctype)) {
    const name = ENCTYPE_NAME[ticket.sessionKey.enctype] ?? String(ticket.sessionKey.enctype);
    throw reject('UnsupportedAlgorithm', `Kerberos session key ${name} is not supported`);
  }
  if (ticket.endTime <= now) throw reject('AuthenticationFailed', 'the service ticket has expired');
  const subkey = randomKey(ticket.sessionKey.enctype);
  const authenticator = encodeAuthenticator({
    client: ticket.client,
    checksum: { type: GSS_CHECKSUM_TYPE, value: gssChecksum(GSS_FLAG.integ | GSS_FLAG.conf) },
    cusec: (now.getTime() % 1000) * 1000 + randomInt(0, 1000),
    ctime: now,
    subkey,
    seqNumber: randomInt(0, 0x3fffffff),
  });
  const apReq = encodeApReq(ticket.ticket, 0, {
    etype: ticket.sessionKey.enctype,
    kvno: undefined,
    cipher: encrypt(ticket.sessionKey, AP_REQ_AUTHENTICATOR_USAGE, authenticator),
  });
  return { token: frameInitialContextToken(apReq), key: subkey };
}
