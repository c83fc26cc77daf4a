/** Namespace URIs, in one place. */
export const NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsse11: 'http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xenc11: 'http://www.w3.org/2009/xmlenc11#',
  dsig11: 'http://www.w3.org/2009/xmldsig11#',
  ec: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  xml: 'http://www.w3.org/XML/1998/namespace',
  xmlns: 'http://www.w3.org/2000/xmlns/',
  /** WS-SecureConversation, February 2005 (WCF's default) and 1.3. */
  wsc2005: 'http://schemas.xmlsoap.org/ws/2005/02/sc',
  wsc13: 'http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512',
  /** WS-Addressing 1.0. */
  wsa: 'http://www.w3.org/2005/08/addressing',
  /** SAML assertions (no SAML token is accepted; named to refuse references to them). */
  saml1: 'urn:oasis:names:tc:SAML:1.0:assertion',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
} as const;

/** Preferred prefixes when wsseq writes elements. */
export const PREFIX = {
  wsse: 'wsse',
  wsse11: 'wsse11',
  wsu: 'wsu',
  ds: 'ds',
  xenc: 'xenc',
  xenc11: 'xenc11',
  ec: 'ec',
} as const;

const WSS_PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-';

/** Token and reference value types (WS-Security 1.0/1.1 token profiles). */
export const VALUE_TYPE = {
  x509v3: `${WSS_PROFILE}x509-token-profile-1.0#X509v3`,
  x509PkiPathV1: `${WSS_PROFILE}x509-token-profile-1.0#X509PKIPathv1`,
  x509Ski: `${WSS_PROFILE}x509-token-profile-1.0#X509SubjectKeyIdentifier`,
  thumbprintSha1:
    'http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1',
  encryptedKeySha1:
    'http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKeySHA1',
  encryptedKeyToken:
    'http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey',
  usernameToken: `${WSS_PROFILE}username-token-profile-1.0#UsernameToken`,
  passwordText: `${WSS_PROFILE}username-token-profile-1.0#PasswordText`,
  passwordDigest: `${WSS_PROFILE}username-token-profile-1.0#PasswordDigest`,
} as const;

/** EncodingType values. */
export const ENCODING_TYPE = {
  base64: `${WSS_PROFILE}soap-message-security-1.0#Base64Binary`,
} as const;

/** xenc:EncryptedData Type values. */
export const ENC_TYPE = {
  element: 'http://www.w3.org/2001/04/xmlenc#Element',
  content: 'http://www.w3.org/2001/04/xmlenc#Content',
} as const;
