/**
 * Namespace URIs of service contracts: WSDL 1.1, WS-Policy (1.5 and 2004/09),
 * WS-SecurityPolicy (1.2 and 1.1), WS-Addressing and WS-Trust, and wsseq's own namespace for
 * the algorithm suites WS-SecurityPolicy has no name for (AES-GCM).
 */
export const POLICY_NS = {
  wsdl: 'http://schemas.xmlsoap.org/wsdl/',
  wsdlSoap11: 'http://schemas.xmlsoap.org/wsdl/soap/',
  wsdlSoap12: 'http://schemas.xmlsoap.org/wsdl/soap12/',
  /** WS-Policy 1.5 (W3C). */
  wsp15: 'http://www.w3.org/ns/ws-policy',
  /** WS-Policy 2004/09 (the submission WCF and WSS4J still emit). */
  wsp2004: 'http://schemas.xmlsoap.org/ws/2004/09/policy',
  /** WS-SecurityPolicy 1.2 (OASIS). */
  sp12: 'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702',
  /** WS-SecurityPolicy 1.1 (the 2005/07 submission). */
  sp11: 'http://schemas.xmlsoap.org/ws/2005/07/securitypolicy',
  /** WS-SecurityPolicy 1.3 additions (Created, Nonce in UsernameToken). */
  sp13: 'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200802',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsam: 'http://www.w3.org/2007/05/addressing/metadata',
  wsaw: 'http://www.w3.org/2006/05/addressing/wsdl',
  wst13: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
  wst2005: 'http://schemas.xmlsoap.org/ws/2005/02/trust',
  /**
   * wsseq's assertions: the AES-GCM algorithm suites `Basic256GCMSha256`,
   * `Basic192GCMSha256`, `Basic128GCMSha256` (SHA-256 digests, RSA-SHA256, RSA-OAEP), which
   * WS-SecurityPolicy 1.2 does not name. (Apache CXF's `Basic256GCM` suites in
   * `http://cxf.apache.org/custom/security-policy` use SHA-1 digests and are not these.)
   */
  wsseqSp: 'urn:wsseq:security-policy',
} as const;

/** The prefixes used when naming assertions in reports (`sp:SignedParts`). */
export const POLICY_PREFIX: Readonly<Record<string, string>> = {
  [POLICY_NS.sp12]: 'sp',
  [POLICY_NS.sp11]: 'sp11',
  [POLICY_NS.sp13]: 'sp13',
  [POLICY_NS.wsp15]: 'wsp',
  [POLICY_NS.wsp2004]: 'wsp',
  [POLICY_NS.wsa]: 'wsa',
  [POLICY_NS.wsam]: 'wsam',
  [POLICY_NS.wsaw]: 'wsaw',
  [POLICY_NS.wst13]: 'wst',
  [POLICY_NS.wst2005]: 'wst',
  [POLICY_NS.wsseqSp]: 'wsseq',
};

/** The WS-Policy namespaces understood. */
export const WSP_NAMESPACES: ReadonlySet<string> = new Set([POLICY_NS.wsp15, POLICY_NS.wsp2004]);

/** The WS-SecurityPolicy namespaces understood (same local names in both). */
export const SP_NAMESPACES: ReadonlySet<string> = new Set([POLICY_NS.sp12, POLICY_NS.sp11]);

/** WS-Trust KeyType values (RequestSecurityTokenTemplate). */
export const WST_KEY_TYPE = {
  publicKey: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey',
  symmetricKey: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/SymmetricKey',
  bearer: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Bearer',
} as const;
