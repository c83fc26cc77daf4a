/**
 * The RFC 4120 messages wsseq reads and writes: PrincipalName, EncryptedData, EncryptionKey,
 * Ticket, EncTicketPart, Authenticator, AP-REQ, KDC-REQ/REP, EncKDCRepPart, KRB-ERROR.
 */
import * as der from './der.js';
import type { Der } from './der.js';
import type { KerberosKey } from './crypto.js';
import { reject } from '../errors.js';

const { seq, int, octets, str, time, tlv, app, TAG } = der;

/** A principal: name type and components, with its realm. */
export interface Principal {
  readonly nameType: number;
  readonly components: readonly string[];
  readonly realm: string;
}

export const NT_PRINCIPAL = 1;
export const NT_SRV_INST = 2;
export const NT_SRV_HST = 3;

/** `alice@QUEUE.TEST`, `HTTP/queue-service.example@QUEUE.TEST`. */
export function principalToString(p: Principal): string {
  return `${p.components.join('/')}@${p.realm}`;
}

/**
 * Parse `name[/instance]@REALM` (the realm required unless `defaultRealm` is given).
 * @throws TypeError for an empty or realm-less name.
 */
export function parsePrincipal(text: string, defaultRealm?: string, nameType?: number): Principal {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const realm = at < 0 ? defaultRealm : text.slice(at + 1);
  if (!name || !realm) throw new TypeError(`not a Kerberos principal name: ${text}`);
  const components = name.split('/');
  return {
    nameType: nameType ?? (components.length > 1 ? NT_SRV_INST : NT_PRINCIPAL),
    components,
    realm,
  };
}

/** Same name and realm (the name type is advisory, RFC 4120 §6.2). */
export function samePrincipal(a: Principal, b: Principal): boolean {
  return (
    a.realm === b.realm &&
    a.components.length === b.components.length &&
    a.components.every((c, i) => c === b.components[i])
  );
}

export function encodePrincipalName(p: Principal): Buffer {
  return seq([
    [0, int(p.nameType)],
    [1, tlv(TAG.sequence, ...p.components.map(str))],
  ]);
}

export function readPrincipalName(d: Der, realm: string, what: string): Principal {
  const f = der.fields(d, what);
  const names = der.children(der.expect(der.field(f, 1, what), TAG.sequence, what));
  return {
    nameType: der.readInt(der.field(f, 0, what), what),
    components: names.map((n) => der.readString(n, what)),
    realm,
  };
}

export interface EncryptedData {
  readonly etype: number;
  readonly kvno: number | undefined;
  readonly cipher: Buffer;
}

export function encodeEncryptedData(e: EncryptedData): Buffer {
  return seq([
    [0, int(e.etype)],
    [1, e.kvno === undefined ? undefined : int(e.kvno)],
    [2, octets(e.cipher)],
  ]);
}

export function readEncryptedData(d: Der, what: string): EncryptedData {
  const f = der.fields(d, what);
  const kvno = f.get(1);
  return {
    etype: der.readInt(der.field(f, 0, what), what),
    kvno: kvno ? der.readInt(kvno, what) : undefined,
    cipher: der.readOctets(der.field(f, 2, what), what),
  };
}

export function encodeKey(k: KerberosKey): Buffer {
  return seq([
    [0, int(k.enctype)],
    [1, octets(k.value)],
  ]);
}

export function readKey(d: Der, what: string): KerberosKey {
  const f = der.fields(d, what);
  return {
    enctype: der.readInt(der.field(f, 0, what), what),
    value: der.readOctets(der.field(f, 1, what), what),
  };
}

/** Ticket ::= [APPLICATION 1]: the server's name and the part only the server can read. */
export interface Ticket {
  readonly server: Principal;
  readonly encPart: EncryptedData;
  /** The DER of the whole Ticket, as received. */
  readonly der: Buffer;
}

export function readTicket(d: Der): Ticket {
  const f = der.fields(d, 'Ticket', 1);
  const realm = der.readString(der.field(f, 1, 'Ticket'), 'Ticket realm');
  return {
    server: readPrincipalName(der.field(f, 2, 'Ticket'), realm, 'Ticket sname'),
    encPart: readEncryptedData(der.field(f, 3, 'Ticket'), 'Ticket enc-part'),
    der: tlv(d.tag, d.content),
  };
}

/** What the ticket's encrypted part says (RFC 4120 EncTicketPart). */
export interface EncTicketPart {
  readonly flags: number;
  readonly key: KerberosKey;
  readonly client: Principal;
  readonly authTime: Date;
  readonly startTime: Date | undefined;
  readonly endTime: Date;
  readonly renewTill: Date | undefined;
}

export function readEncTicketPart(plain: Buffer): EncTicketPart {
  const w = 'EncTicketPart';
  const f = der.fields(der.decode(plain), w, 3);
  const crealm = der.readString(der.field(f, 2, w), w);
  const opt = (n: number): Date | undefined => {
    const v = f.get(n);
    return v ? der.readTime(v, w) : undefined;
  };
  return {
    flags: der.readFlags(der.field(f, 0, w), w),
    key: readKey(der.field(f, 1, w), w),
    client: readPrincipalName(der.field(f, 3, w), crealm, w),
    authTime: der.readTime(der.field(f, 5, w), w),
    startTime: opt(6),
    endTime: der.readTime(der.field(f, 7, w), w),
    renewTill: opt(8),
  };
}

/** A Checksum: type and value. */
export interface Checksum {
  readonly type: number;
  readonly value: Buffer;
}

/** The Authenticator (RFC 4120 §5.5.1). */
export interface Authenticator {
  readonly client: Principal;
  readonly checksum: Checksum | undefined;
  readonly cusec: number;
  readonly ctime: Date;
  readonly subkey: KerberosKey | undefined;
  readonly seqNumber: number | undefined;
}

export function encodeAuthenticator(a: Authenticator): Buffer {
  return tlv(
    app(2),
    seq([
      [0, int(5)],
      [1, str(a.client.realm)],
      [2, encodePrincipalName(a.client)],
      [
        3,
        a.checksum
          ? seq([
              [0, int(a.checksum.type)],
              [1, octets(a.checksum.value)],
            ])
          : undefined,
      ],
      [4, int(a.cusec)],
      [5, time(a.ctime)],
      [6, a.subkey ? encodeKey(a.subkey) : undefined],
      [7, a.seqNumber === undefined ? undefined : int(a.seqNumber)],
    ]),
  );
}

export function readAuthenticator(plain: Buffer): Authenticator {
  const w = 'Authenticator';
  const f = der.fields(der.decode(plain), w, 2);
  if (der.readInt(der.field(f, 0, w), w) !== 5)
    throw reject('MalformedMessage', 'Kerberos: authenticator-vno is not 5');
  const crealm = der.readString(der.field(f, 1, w), w);
  const ck = f.get(3);
  let checksum: Checksum | undefined;
  if (ck) {
    const cf = der.fields(ck, w);
    checksum = {
      type: der.readInt(der.field(cf, 0, w), w),
      value: der.readOctets(der.field(cf, 1, w), w),
    };
  }
  const sk = f.get(6);
  const sn = f.get(7);
  return {
    client: readPrincipalName(der.field(f, 2, w), crealm, w),
    checksum,
    cusec: der.readInt(der.field(f, 4, w), w),
    ctime: der.readTime(der.field(f, 5, w), w),
    subkey: sk ? readKey(sk, w) : undefined,
    seqNumber: sn ? der.readInt(sn, w) : undefined,
  };
}

/** AP-REQ (RFC 4120 §5.5.1). */
export interface ApReq {
  readonly apOptions: number;
  readonly ticket: Ticket;
  readonly authenticator: EncryptedData;
}

export function encodeApReq(ticketDer: Buffer, options: number, auth: EncryptedData): Buffer {
  return tlv(
    app(14),
    seq([
      [0, int(5)],
      [1, int(14)],
      [2, der.flags(options)],
      [3, ticketDer],
      [4, encodeEncryptedData(auth)],
    ]),
  );
}

export function readApReq(input: Buffer): ApReq {
  const w = 'AP-REQ';
  const f = der.fields(der.decode(input), w, 14);
  if (der.readInt(der.field(f, 0, w), w) !== 5 || der.readInt(der.field(f, 1, w), w) !== 14) {
    throw reject('MalformedMessage', 'Kerberos: not a version 5 AP-REQ');
  }
  return {
    apOptions: der.readFlags(der.field(f, 2, w), w),
    ticket: readTicket(der.field(f, 3, w)),
    authenticator: readEncryptedData(der.field(f, 4, w), w),
  };
}
