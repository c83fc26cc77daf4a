/**
 * RFC 2743 §3.1 InitialContextToken framing for the krb5 mechanism (RFC 4121 §4.1): the
 * mechanism OID 1.2.840.113554.1.2.2, TOK_ID 01 00, then the AP-REQ; and the authenticator
 * checksum of type 0x8003 that carries the GSS flags.
 */
import { reject } from '../errors.js';
import { decode, tlv } from './der.js';

/** DER of the OID 1.2.840.113554.1.2.2 (the krb5 GSS-API mechanism). */
const KRB5_MECH_OID = Buffer.from('06092a864886f712010202', 'hex');
const TOK_ID_AP_REQ = Buffer.from([0x01, 0x00]);

/** The checksum type of the GSS authenticator checksum (RFC 4121 §4.1.1). */
export const GSS_CHECKSUM_TYPE = 0x8003;

/** GSS context flags (RFC 2744). */
export const GSS_FLAG = {
  deleg: 1,
  mutual: 2,
  replay: 4,
  sequence: 8,
  conf: 16,
  integ: 32,
} as const;

/** Frame an AP-REQ as an InitialContextToken. */
export function frameInitialContextToken(apReq: Buffer): Buffer {
  return tlv(0x60, KRB5_MECH_OID, TOK_ID_AP_REQ, apReq);
}

/**
 * The AP-REQ inside an InitialContextToken.
 * @throws WsseqError `MalformedMessage` for another mechanism, token id, or bad framing.
 */
export function unframeInitialContextToken(token: Buffer): Buffer {
  const outer = decode(token);
  if (outer.tag !== 0x60)
    throw reject('MalformedMessage', 'Kerberos: not a GSS InitialContextToken');
  const c = outer.content;
  if (!c.subarray(0, KRB5_MECH_OID.length).equals(KRB5_MECH_OID)) {
    throw reject('UnsupportedSecurityToken', 'the GSS token is not for the Kerberos 5 mechanism');
  }
  const rest = c.subarray(KRB5_MECH_OID.length);
  if (!rest.subarray(0, 2).equals(TOK_ID_AP_REQ)) {
    throw reject('MalformedMessage', 'Kerberos: the GSS token is not an AP-REQ (TOK_ID 01 00)');
  }
  return rest.subarray(2);
}

/** The 0x8003 checksum value: no channel bindings, the given flags. */
export function gssChecksum(flags: number): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(16, 0);
  b.writeUInt32LE(flags, 20);
  return b;
}

/** The flags of a 0x8003 checksum. @throws WsseqError `MalformedMessage` when too short. */
export function readGssChecksumFlags(value: Buffer): number {
  if (value.length < 24 || value.readUInt32LE(0) !== 16) {
    throw reject('MalformedMessage', 'Kerberos: malformed GSS authenticator checksum');
  }
  return value.readUInt32LE(20);
}
