/**
 * Talking to a KDC over TCP (RFC 4120 §7.2.2: a 4-byte length, then the message): the TGS
 * exchange (a service ticket from a TGT) and the AS exchange with a keytab key
 * (PA-ENC-TIMESTAMP pre-authentication, the enctype chosen from PA-ETYPE-INFO2).
 */
import { randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { reject } from '../errors.js';
import {
  checksum,
  checksumTypeOf,
  decrypt,
  encrypt,
  isSupportedEnctype,
  SUPPORTED_ENCTYPES,
} from './crypto.js';
import type { KerberosKey } from './crypto.js';
import * as der from './der.js';
import {
  encodeApReq,
  encodeAuthenticator,
  encodeEncryptedData,
  encodePrincipalName,
  readEncryptedData,
  readKey,
  readPrincipalName,
  readTicket,
} from './messages.js';
import type { Principal } from './messages.js';

const { seq, int, octets, str, time, tlv, app, TAG } = der;

/** A ticket and its session key, as a KDC issued it. */
export interface IssuedTicket {
  readonly client: Principal;
  readonly server: Principal;
  /** DER of the Ticket. */
  readonly ticket: Buffer;
  readonly sessionKey: KerberosKey;
  readonly authTime: Date;
  readonly startTime: Date;
  readonly endTime: Date;
  readonly flags: number;
}

/** KDC error numbers worth naming (RFC 4120 §7.5.9). */
const KDC_ERROR_NAME: Readonly<Record<number, string>> = {
  6: 'KDC_ERR_C_PRINCIPAL_UNKNOWN',
  7: 'KDC_ERR_S_PRINCIPAL_UNKNOWN',
  14: 'KDC_ERR_ETYPE_NOSUPP',
  18: 'KDC_ERR_CLIENT_REVOKED',
  23: 'KDC_ERR_KEY_EXPIRED',
  24: 'KDC_ERR_PREAUTH_FAILED',
  25: 'KDC_ERR_PREAUTH_REQUIRED',
  31: 'KRB_AP_ERR_BAD_INTEGRITY',
  32: 'KRB_AP_ERR_TKT_EXPIRED',
  37: 'KRB_AP_ERR_SKEW',
};

const PA_TGS_REQ = 1;
const PA_ENC_TIMESTAMP = 2;
const PA_ETYPE_INFO2 = 19;
const KDC_ERR_PREAUTH_REQUIRED = 25;

/** Key usages (RFC 4120 §7.5.1). */
const USAGE = {
  paEncTimestamp: 1,
  asRepEncPart: 3,
  tgsReqChecksum: 6,
  tgsReqAuthenticator: 7,
  tgsRepEncPart: 8,
} as const;

/** A KRB-ERROR the KDC returned. */
export class KdcError extends Error {
  constructor(
    readonly errorCode: number,
    readonly eText: string | undefined,
    readonly eData: Buffer | undefined,
  ) {
    super(
      `KDC error ${String(errorCode)} ${KDC_ERROR_NAME[errorCode] ?? ''} ${eText ?? ''}`.trim(),
    );
    this.name = 'KdcError';
  }
}

/** Send one message to one of the KDCs (host:port, default port 88), in order. */
export async function sendToKdc(
  kdcs: readonly string[],
  message: Buffer,
  timeoutMs = 10_000,
): Promise<Buffer> {
  let last: unknown = new Error('no KDC configured');
  for (const kdc of kdcs) {
    const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(kdc.trim());
    try {
      return await exchangeTcp(m?.[1] ?? kdc, Number(m?.[2] ?? 88), message, timeoutMs);
    } catch (err) {
      last = err;
    }
  }
  throw reject('AuthenticationFailed', 'no KDC answered', last);
}

function exchangeTcp(
  host: string,
  port: number,
  message: Buffer,
  timeoutMs: number,
): Promise<Buffer> {
  return new Promise((resolve, fail) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    let have = 0;
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('KDC timed out')));
    socket.on('error', fail);
    socket.on('connect', () => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(message.length, 0);
      socket.write(Buffer.concat([len, message]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      const all = Buffer.concat(chunks);
      if (have >= 4 && have >= 4 + all.readUInt32BE(0)) {
        socket.end();
        resolve(all.subarray(4, 4 + all.readUInt32BE(0)));
      }
    });
    socket.on('end', () => {
      fail(new Error('KDC closed the connection early'));
    });
  });
}

function reqBody(o: {
  client?: Principal;
  server: Principal;
  till: Date;
  nonce: number;
  etypes: readonly number[];
}): Buffer {
  return seq([
    [0, der.flags(0x40000000)], // forwardable
    [1, o.client ? encodePrincipalName(o.client) : undefined],
    [2, str(o.server.realm)],
    [3, encodePrincipalName(o.server)],
    [5, time(o.till)],
    [7, int(o.nonce)],
    [8, tlv(TAG.sequence, ...o.etypes.map(int))],
  ]);
}

function paData(type: number, value: Buffer): Buffer {
  return seq([
    [1, int(type)],
    [2, octets(value)],
  ]);
}

function kdcReq(msgType: 10 | 12, padata: readonly Buffer[], body: Buffer): Buffer {
  return tlv(
    app(msgType),
    seq([
      [1, int(5)],
      [2, int(msgType)],
      [3, padata.length > 0 ? tlv(TAG.sequence, ...padata) : undefined],
      [4, body],
    ]),
  );
}

/** Decode a KDC reply, throwing a KdcError for a KRB-ERROR. */
function readKdcRep(
  reply: Buffer,
  expected: 11 | 13,
): { ticket: Buffer; encPart: ReturnType<typeof readEncryptedData>; client: Principal } {
  const d = der.decode(reply);
  if (d.tag === app(30)) {
    const f = der.fields(d, 'KRB-ERROR', 30);
    const text = f.get(11);
    const data = f.get(12);
    throw new KdcError(
      der.readInt(der.field(f, 6, 'KRB-ERROR'), 'error-code'),
      text ? der.readString(text, 'e-text') : undefined,
      data ? der.readOctets(data, 'e-data') : undefined,
    );
  }
  const w = 'KDC-REP';
  const f = der.fields(d, w, expected);
  const crealm = der.readString(der.field(f, 3, w), w);
  return {
    client: readPrincipalName(der.field(f, 4, w), crealm, w),
    ticket: readTicket(der.field(f, 5, w)).der,
    encPart: readEncryptedData(der.field(f, 6, w), w),
  };
}

function readEncKdcRepPart(
  plain: Buffer,
  nonce: number,
  client: Principal,
  ticket: Buffer,
): IssuedTicket {
  const w = 'EncKDCRepPart';
  const outer = der.decode(plain);
  // EncASRepPart is [APPLICATION 25], EncTGSRepPart [APPLICATION 26]; MIT may send either.
  const app25or26 = outer.tag === app(25) ? 25 : 26;
  const f = der.fields(outer, w, app25or26);
  if (der.readInt(der.field(f, 2, w), w) !== nonce) {
    throw reject('AuthenticationFailed', 'the KDC reply does not answer our request (nonce)');
  }
  const srealm = der.readString(der.field(f, 9, w), w);
  const authTime = der.readTime(der.field(f, 5, w), w);
  const start = f.get(6);
  return {
    client,
    server: readPrincipalName(der.field(f, 10, w), srealm, w),
    ticket,
    sessionKey: readKey(der.field(f, 0, w), w),
    authTime,
    startTime: start ? der.readTime(start, w) : authTime,
    endTime: der.readTime(der.field(f, 7, w), w),
    flags: der.readFlags(der.field(f, 4, w), w),
  };
}

/** Options shared by the exchanges. */
export interface ExchangeOptions {
  readonly kdcs: readonly string[];
  readonly now: Date;
  readonly timeoutMs?: number;
}

/**
 * TGS exchange: a ticket for `server` from a TGT.
 * @throws WsseqError `AuthenticationFailed` (with the KdcError as cause) when the KDC refuses.
 */
export async function requestServiceTicket(
  tgt: IssuedTicket,
  server: Principal,
  options: ExchangeOptions,
): Promise<IssuedTicket> {
  const nonce = randomInt(1, 0x7fffffff);
  const body = reqBody({ server, till: tgt.endTime, nonce, etypes: SUPPORTED_ENCTYPES });
  const ctime = options.now;
  const authenticator = encodeAuthenticator({
    client: tgt.client,
    checksum: {
      type: checksumTypeOf(tgt.sessionKey.enctype),
      value: checksum(tgt.sessionKey, USAGE.tgsReqChecksum, body),
    },
    cusec: (ctime.getTime() % 1000) * 1000,
    ctime,
    subkey: undefined,
    seqNumber: undefined,
  });
  const apReq = encodeApReq(tgt.ticket, 0, {
    etype: tgt.sessionKey.enctype,
    kvno: undefined,
    cipher: encrypt(tgt.sessionKey, USAGE.tgsReqAuthenticator, authenticator),
  });
  const reply = await exchange(kdcReq(12, [paData(PA_TGS_REQ, apReq)], body), options, server);
  const rep = readKdcRep(reply, 13);
  const plain = decrypt(tgt.sessionKey, USAGE.tgsRepEncPart, rep.encPart.cipher);
  return readEncKdcRepPart(plain, nonce, rep.client, rep.ticket);
}

/**
 * AS exchange with a long-term key (from a keytab): a TGT for `client`.
 * @throws WsseqError `AuthenticationFailed` when the KDC refuses or the keytab holds no key
 *   the KDC accepts.
 */
export async function requestInitialTicket(
  client: Principal,
  keys: readonly KerberosKey[],
  options: ExchangeOptions,
): Promise<IssuedTicket> {
  const usable = keys.filter((k) => isSupportedEnctype(k.enctype));
  if (usable.length === 0) {
    throw reject('UnsupportedAlgorithm', 'the keytab holds no AES key for the client principal');
  }
  const tgs: Principal = { nameType: 2, components: ['krbtgt', client.realm], realm: client.realm };
  const till = new Date(options.now.getTime() + 10 * 3600_000);
  const etypes = SUPPORTED_ENCTYPES.filter((e) => usable.some((k) => k.enctype === e));
  const attempt = async (key: KerberosKey | undefined): Promise<IssuedTicket> => {
    const nonce = randomInt(1, 0x7fffffff);
    const body = reqBody({ client, server: tgs, till, nonce, etypes });
    const padata = key ? [paData(PA_ENC_TIMESTAMP, encTimestamp(key, options.now))] : [];
    const rep = readKdcRep(await exchange(kdcReq(10, padata, body), options, tgs), 11);
    const replyKey = usable.find((k) => k.enctype === rep.encPart.etype);
    if (!replyKey) throw reject('UnsupportedAlgorithm', 'the KDC replied with an enctype we lack');
    const plain = decrypt(replyKey, USAGE.asRepEncPart, rep.encPart.cipher);
    return readEncKdcRepPart(plain, nonce, rep.client, rep.ticket);
  };
  try {
    return await attempt(undefined);
  } catch (err) {
    if (!(err instanceof KdcError) || err.errorCode !== KDC_ERR_PREAUTH_REQUIRED) throw err;
    const wanted = etypeInfo2(err.eData);
    const key = wanted.map((e) => usable.find((k) => k.enctype === e)).find((k) => k) ?? usable[0];
    return attempt(key);
  }
}

function encTimestamp(key: KerberosKey, now: Date): Buffer {
  const ts = seq([
    [0, time(now)],
    [1, int((now.getTime() % 1000) * 1000)],
  ]);
  return encodeEncryptedData({
    etype: key.enctype,
    kvno: undefined,
    cipher: encrypt(key, USAGE.paEncTimestamp, ts),
  });
}

/** The enctypes a PREAUTH_REQUIRED error's PA-ETYPE-INFO2 offers, in the KDC's order. */
function etypeInfo2(eData: Buffer | undefined): number[] {
  if (!eData) return [];
  const out: number[] = [];
  for (const pa of der.children(der.decode(eData))) {
    const f = der.fields(pa, 'PA-DATA');
    if (der.readInt(der.field(f, 1, 'PA-DATA'), 'padata-type') !== PA_ETYPE_INFO2) continue;
    const entries = der.decode(der.readOctets(der.field(f, 2, 'PA-DATA'), 'padata-value'));
    for (const e of der.children(entries)) {
      out.push(der.readInt(der.field(der.fields(e, 'ETYPE-INFO2'), 0, 'etype'), 'etype'));
    }
  }
  return out;
}

async function exchange(req: Buffer, options: ExchangeOptions, server: Principal): Promise<Buffer> {
  const reply = await sendToKdc(options.kdcs, req, options.timeoutMs);
  try {
    der.decode(reply);
  } catch (cause) {
    throw reject(
      'AuthenticationFailed',
      `unreadable KDC reply for ${server.components.join('/')}`,
      cause,
    );
  }
  return reply;
}

/** Wrap a KdcError thrown by an exchange into the WsseqError callers see. */
export function kdcFailure(err: unknown, what: string): unknown {
  if (err instanceof KdcError)
    return reject('AuthenticationFailed', `${what}: ${err.message}`, err);
  return err;
}
