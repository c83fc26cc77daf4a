/**
 * Security policy from a service contract: a WSDL 1.1 document whose binding carries
 * WS-SecurityPolicy assertions (attached with WS-Policy 1.5 or 2004/09) becomes the
 * {@link SenderPolicy} a client secures with and the {@link ReceiverPolicy} the service
 * enforces.
 */
import type { CredentialType } from '../credentials/types.js';
import { isWsseqError } from '../errors.js';
import { attr, childElements, isNamed, ownerDocumentOf } from '../xml/dom.js';
import type { Element } from '../xml/dom.js';
import { parseUntrusted } from '../xml/parse.js';
import { DEFAULT_SUITE } from './algorithms.js';
import { resolveReceiverPolicy, resolveSenderPolicy } from './policy.js';
import type { ProtectionLevel, ProtectionOrder, ReceiverPolicy, SenderPolicy } from './policy.js';
import { POLICY_NS, WSP_NAMESPACES } from './policy-ns.js';
import { readSecurityRequirements } from './wsdl-assertions.js';
import { checkPolicyFromWsdlOptions } from './tooling-options.js';
import type {
  IssuedTokenRequirement,
  SecurityRequirements,
  UserNameTokenRequirement,
  WssOptions,
  X509TokenRequirement,
} from './wsdl-assertions.js';
import { assertionName, firstAlternative, indexPolicies, isWsp } from './ws-policy.js';
import type { PolicyReadContext } from './ws-policy.js';
import type { KeyReferenceStyle } from '../wss/token-reference.js';

export type {
  IncludeToken,
  IssuedTokenRequirement,
  Layout,
  SecurityBindingName,
  SecurityRequirements,
  SupportingTokenRequirement,
  SupportingTokensAssertion,
  UserNameTokenRequirement,
  WssOptions,
  X509TokenRequirement,
} from './wsdl-assertions.js';

/** Which binding of the contract to read, and how. */
export interface PolicyFromWsdlOptions {
  /** The wsdl:service (by name). Default: the only one. */
  readonly service?: string;
  /** The wsdl:port of the service (by name); its binding is read. Default: the only one. */
  readonly port?: string;
  /** The wsdl:binding (by name, `tns:Name` accepted). Takes precedence over service/port. */
  readonly binding?: string;
  /** Throw a TypeError when an assertion is not understood, instead of reporting it. */
  readonly strict?: boolean;
  /**
   * DANGEROUS: let the contract name suites with SHA-1 or RSA PKCS#1 v1.5 (Basic256,
   * Basic128Rsa15...). Without it such a contract is a TypeError.
   */
  readonly allowInsecureAlgorithms?: boolean;
}

/** What a contract asks of the client and the service. */
export interface PolicyFromWsdlResult {
  /** The name of the binding read. */
  readonly binding: string;
  /** Message (Asymmetric/SymmetricBinding), Transport (TransportBinding) or None (no security binding). */
  readonly mode: 'Message' | 'Transport' | 'None';
  /** For the client's `createSecurer`. */
  readonly sender: SenderPolicy;
  /** For the service's `createOpener`. */
  readonly receiver: ReceiverPolicy;
  /** The client credential the contract asks for (`None`: anonymous client). */
  readonly credentialType: CredentialType | 'None';
  /** The issued token required (IssuedToken): its issuer and request template. */
  readonly issuer?: IssuedTokenRequirement;
  /** The UsernameToken required (UserName): its password type. */
  readonly userNameToken?: UserNameTokenRequirement;
  /** Everything read from the assertions, before mapping. */
  readonly requirements: SecurityRequirements;
  /** Assertions wsseq does not understand or cannot meet, by name (`sp:SignedParts/sp:Header {urn:x}Route`). */
  readonly unknownAssertions: readonly string[];
  /** How assertions with no direct counterpart were applied, and alternatives not used. */
  readonly notes: readonly string[];
}

/**
 * Read the security policy of one binding of a WSDL 1.1 contract: the binding is chosen by
 * name, or through a service and port; its endpoint policy (on the binding and the port) and
 * message policies (on each operation and its input) are resolved (inline `wsp:Policy`,
 * `wsp:PolicyReference` to `#wsu:Id` or a policy `Name`, `wsp:PolicyURIs`), normalized
 * (nested `Policy`/`All`/`ExactlyOne`: the first alternative is used and the others noted)
 * and mapped to wsseq's policies. Both policies are checked (as `createSecurer` and
 * `createOpener` would) before they are returned.
 *
 * The receiver policy enforces protection level (Body signed, Body content encrypted),
 * algorithm suite, Timestamp (present and signed) and ProtectTokens; the credential type
 * tells which credential plug-in the service configures. {@link checkContract} checks what
 * the receiver policy cannot express (supporting tokens signed and encrypted,
 * EncryptSignature) on an opened message.
 *
 * Limits: WSDL 1.1 only; no wsdl:import or external policies (nothing is fetched); when
 * operations differ, the strictest requirement applies to all (one receiver serves the
 * queue); SignedParts/EncryptedParts Header, SignedElements and XPath, derived keys,
 * Kerberos and secure conversation are reported as unknown.
 *
 * @example
 * const contract = policyFromWsdl(readFileSync('wsdl/order-service.wsdl', 'utf8'), {
 *   binding: 'OrderQueue_Certificate',
 * });
 * const opener = createOpener({ serviceKeys, trust, policy: contract.receiver });
 * @throws TypeError when the text is not a WSDL 1.1 document within the parse limits, the
 *   binding, service or port is not found or ambiguous, a policy reference does not resolve,
 *   the resulting policy is invalid (a weak suite without `allowInsecureAlgorithms`), or,
 *   with `strict`, an assertion is unknown.
 */
export function policyFromWsdl(
  wsdl: string | Uint8Array,
  options: PolicyFromWsdlOptions = {},
): PolicyFromWsdlResult {
  checkPolicyFromWsdlOptions(options);
  const definitions = parseDefinitions(wsdl);
  const { binding, port } = selectBinding(definitions, options);
  const bindingName = attr(binding, null, 'name') ?? '';
  const notes: string[] = [];
  const unknown: string[] = [];
  const ctx: PolicyReadContext = { policies: indexPolicies(ownerDocumentOf(definitions)), notes };

  const endpoint = [
    ...(port ? attachedAssertions(port, ctx, `port ${attr(port, null, 'name') ?? ''}`) : []),
    ...attachedAssertions(binding, ctx, `binding ${bindingName}`),
  ];
  const messages: Element[] = [];
  const shapes = new Map<string, string[]>();
  for (const op of childElements(binding).filter((c) => isNamed(c, POLICY_NS.wsdl, 'operation'))) {
    const opName = attr(op, null, 'name') ?? '';
    const found = attachedAssertions(op, ctx, `operation ${opName}`);
    for (const child of childElements(op)) {
      if (isNamed(child, POLICY_NS.wsdl, 'input')) {
        found.push(...attachedAssertions(child, ctx, `operation ${opName} input`));
      } else if (
        isNamed(child, POLICY_NS.wsdl, 'output') ||
        isNamed(child, POLICY_NS.wsdl, 'fault')
      ) {
        notes.push(
          `operation ${opName}: ${child.localName ?? ''} policies are not used (queued operations are one-way)`,
        );
      }
    }
    messages.push(...found);
    const shape = found.map(assertionName).sort().join(' ');
    shapes.set(shape, [...(shapes.get(shape) ?? []), opName]);
  }
  if (shapes.size > 1) {
    notes.push(
      `operations carry different message policies (${[...shapes.values()].map((v) => v.join(', ')).join(' / ')}); the strictest applies to every operation`,
    );
  }

  const requirements = readSecurityRequirements([...endpoint, ...messages], ctx, unknown);
  const mapped = mapRequirements(requirements, options, notes, unknown);
  const unknownAssertions = [...new Set(unknown)];
  if (options.strict === true && unknownAssertions.length > 0) {
    throw new TypeError(
      `binding ${bindingName}: assertions not understood: ${unknownAssertions.join('; ')}`,
    );
  }
  // Checked as createSecurer and createOpener would check them.
  resolveSenderPolicy(mapped.sender);
  resolveReceiverPolicy(mapped.receiver);
  return {
    binding: bindingName,
    ...mapped,
    requirements,
    unknownAssertions,
    notes: [...new Set(notes)],
  };
}

function parseDefinitions(wsdl: string | Uint8Array): Element {
  let root: Element | null;
  try {
    root = parseUntrusted(wsdl).document.documentElement;
  } catch (cause) {
    if (!isWsseqError(cause)) throw cause;
    const detail = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
    throw new TypeError(
      `the contract is not well-formed XML within the limits (${cause.message}${detail})`,
      {
        cause,
      },
    );
  }
  if (!root || !isNamed(root, POLICY_NS.wsdl, 'definitions')) {
    throw new TypeError('the contract is not a WSDL 1.1 document (wsdl:definitions)');
  }
  return root;
}

function localPart(qname: string): string {
  const at = qname.lastIndexOf('}');
  const colon = qname.lastIndexOf(':');
  return qname.slice(Math.max(at, colon) + 1).trim();
}

function named(parent: Element, localName: string): Element[] {
  return childElements(parent).filter((c) => isNamed(c, POLICY_NS.wsdl, localName));
}

function pick(candidates: Element[], wanted: string | undefined, what: string): Element {
  const names = candidates.map((c) => attr(c, null, 'name') ?? '');
  if (wanted !== undefined) {
    const found = candidates.find((c) => attr(c, null, 'name') === localPart(wanted));
    if (!found)
      throw new TypeError(
        `no ${what} "${wanted}" in the contract (found: ${names.join(', ') || 'none'})`,
      );
    return found;
  }
  const [only, ...more] = candidates;
  if (!only) throw new TypeError(`the contract has no ${what}`);
  if (more.length > 0) {
    throw new TypeError(
      `the contract has ${candidates.length} ${what}s (${names.join(', ')}): name one`,
    );
  }
  return only;
}

function selectBinding(
  definitions: Element,
  options: PolicyFromWsdlOptions,
): { binding: Element; port: Element | undefined } {
  const bindings = named(definitions, 'binding');
  if (options.binding !== undefined) {
    const binding = pick(bindings, options.binding, 'binding');
    return { binding, port: undefined };
  }
  if (options.service === undefined && options.port === undefined) {
    return { binding: pick(bindings, undefined, 'binding'), port: undefined };
  }
  const service = pick(named(definitions, 'service'), options.service, 'service');
  const port = pick(named(service, 'port'), options.port, 'port');
  const ref = attr(port, null, 'binding');
  if (ref === undefined)
    throw new TypeError(`port ${attr(port, null, 'name') ?? ''} names no binding`);
  return { binding: pick(bindings, ref, 'binding'), port };
}

/** The assertions attached to a WSDL element: wsp:Policy and wsp:PolicyReference children, wsp:PolicyURIs. */
function attachedAssertions(el: Element, ctx: PolicyReadContext, where: string): Element[] {
  const out: Element[] = [];
  for (const ns of WSP_NAMESPACES) {
    const uris = attr(el, ns, 'PolicyURIs');
    if (uris === undefined) continue;
    for (const uri of uris.split(/\s+/).filter(Boolean)) {
      const ref = ownerDocumentOf(el).createElementNS(ns, 'wsp:PolicyReference');
      ref.setAttribute('URI', uri);
      out.push(...firstAlternative(ref, ctx, where));
    }
  }
  for (const c of childElements(el)) {
    if (isWsp(c, 'Policy') || isWsp(c, 'PolicyReference'))
      out.push(...firstAlternative(c, ctx, where));
  }
  return out;
}

interface Mapped {
  readonly mode: PolicyFromWsdlResult['mode'];
  readonly sender: SenderPolicy;
  readonly receiver: ReceiverPolicy;
  readonly credentialType: PolicyFromWsdlResult['credentialType'];
  readonly issuer?: IssuedTokenRequirement;
  readonly userNameToken?: UserNameTokenRequirement;
}

const SENT_TO_RECIPIENT = new Set(['Always', 'AlwaysToRecipient', 'Once']);

/** The reference to a token that is not in the message: required by the token, else what Wss10/11 names. */
function referenceStyle(
  token: X509TokenRequirement | undefined,
  wss: WssOptions | undefined,
): Exclude<KeyReferenceStyle, 'bst'> {
  if (token?.reference) return token.reference;
  if (!wss || wss.mustSupportRefThumbprint) return 'thumbprint';
  if (wss.mustSupportRefIssuerSerial) return 'issuer-serial';
  if (wss.mustSupportRefKeyIdentifier) return 'ski';
  return wss.version === '1.1' ? 'thumbprint' : 'issuer-serial';
}

function mapRequirements(
  r: SecurityRequirements,
  options: PolicyFromWsdlOptions,
  notes: string[],
  unknown: string[],
): Mapped {
  const mode: Mapped['mode'] =
    r.binding === undefined ? 'None' : r.binding === 'TransportBinding' ? 'Transport' : 'Message';
  if (mode === 'None')
    notes.push('the binding carries no security binding assertion: no message security');

  let protectionLevel: ProtectionLevel = 'None';
  if (mode === 'Message') {
    if (r.signedBody && r.encryptedBody) protectionLevel = 'EncryptAndSign';
    else if (r.signedBody) protectionLevel = 'Sign';
    else if (r.encryptedBody) {
      protectionLevel = 'EncryptAndSign';
      unknown.push(
        'sp:EncryptedParts/sp:Body without sp:SignedParts/sp:Body (wsseq signs what it encrypts)',
      );
    }
  } else if (r.signedBody || r.encryptedBody) {
    notes.push(
      'sp:SignedParts/sp:EncryptedParts under a TransportBinding: the transport protects the Body',
    );
  }

  let protectionOrder: ProtectionOrder = 'SignBeforeEncrypt';
  if (r.encryptBeforeSigning) {
    protectionOrder = 'EncryptBeforeSign';
    if (r.encryptSignature) {
      unknown.push(
        'sp:EncryptSignature with sp:EncryptBeforeSigning (the signature made last is not encrypted)',
      );
    }
  } else if (r.encryptSignature) {
    protectionOrder = 'SignBeforeEncryptAndEncryptSignature';
  }
  if (mode === 'Message' && r.algorithmSuite === undefined) {
    notes.push(
      `no sp:AlgorithmSuite: wsseq's default ${DEFAULT_SUITE} is sent and the strong suites are accepted`,
    );
  }
  if (r.onlySignEntireHeadersAndBody) {
    notes.push(
      'sp:OnlySignEntireHeadersAndBody holds always: wsseq signs and accepts only whole elements referenced by wsu:Id',
    );
  }
  if (r.layout !== undefined) {
    notes.push(
      `sp:Layout ${r.layout}: the sender writes the Timestamp first; the receiver accepts any header order`,
    );
  }
  if (!r.includeTimestamp && mode !== 'None') {
    notes.push(
      'no sp:IncludeTimestamp: the sender still sends a Timestamp; the receiver does not require one',
    );
  }

  const signerIncluded =
    r.initiatorToken === undefined || SENT_TO_RECIPIENT.has(r.initiatorToken.includeToken);
  const signerKeyReference: KeyReferenceStyle = signerIncluded
    ? 'bst'
    : referenceStyle(r.initiatorToken, r.wss);
  if (!signerIncluded) {
    notes.push(
      `the client certificate is not sent (IncludeToken Never): the service must know it out of band (${signerKeyReference} reference)`,
    );
  }
  const serviceKeyReference = referenceStyle(r.recipientToken, r.wss);
  if (r.recipientToken && r.recipientToken.includeToken !== 'Never') {
    notes.push(
      'the service certificate is referenced, never included (the client holds it out of band)',
    );
  }

  const insecure =
    options.allowInsecureAlgorithms === true ? { allowInsecureAlgorithms: true } : {};
  const suite = r.algorithmSuite;
  const sender: SenderPolicy = {
    protectionLevel,
    protectionOrder,
    ...(suite === undefined ? {} : { algorithmSuite: suite }),
    signerKeyReference,
    serviceKeyReference,
    signTokens: r.protectTokens,
    ...insecure,
  };
  const receiver: ReceiverPolicy = {
    protectionLevel,
    ...(suite === undefined ? {} : { algorithmSuites: [suite] }),
    requireTimestamp: r.includeTimestamp,
    requireSignedTimestamp: r.includeTimestamp && mode === 'Message',
    requireSignedTokens: r.protectTokens,
    ...insecure,
  };

  const [support, ...extra] = r.supportingTokens;
  for (const t of extra)
    unknown.push(`sp:${t.assertion}/sp:${t.token.kind} (wsseq sends one client credential)`);
  let credentialType: Mapped['credentialType'] = 'None';
  let issuer: IssuedTokenRequirement | undefined;
  let userNameToken: UserNameTokenRequirement | undefined;
  if (support?.token.kind === 'UsernameToken') {
    credentialType = 'UserName';
    userNameToken = support.token;
    if (mode === 'Message' && !support.encrypted) {
      notes.push(
        `sp:${support.assertion}/sp:UsernameToken is not encrypted: a PasswordText password is readable in the queue`,
      );
    }
  } else if (support?.token.kind === 'IssuedToken') {
    credentialType = 'IssuedToken';
    issuer = support.token;
    if (support.token.keyType?.endsWith('/Bearer') === true) {
      notes.push(
        'bearer issued token: the service must set allowBearer (anyone holding the token can send)',
      );
    } else if (r.initiatorToken === undefined) {
      notes.push(
        'holder-of-key issued token without an InitiatorToken: the proof key has no certificate to sign with',
      );
    }
    if (!support.signed) {
      notes.push(
        `sp:${support.assertion}/sp:IssuedToken is not signed: the receiver still requires it signed by default`,
      );
    }
  } else if (r.kerberosToken) {
    credentialType = 'Windows';
  } else if (
    r.transportToken?.requireClientCertificate === true ||
    r.initiatorToken !== undefined
  ) {
    credentialType = 'Certificate';
  }
  return {
    mode,
    sender,
    receiver,
    credentialType,
    ...(issuer ? { issuer } : {}),
    ...(userNameToken ? { userNameToken } : {}),
  };
}
