/** The contracts in wsdl/ and small contracts built around one policy, for the WSDL tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../wsdl/', import.meta.url));

/** wsdl/order-service.wsdl (WS-Policy 1.5). */
export const ORDER_SERVICE = readFileSync(`${root}order-service.wsdl`, 'utf8');
/** wsdl/order-service-wsp2004.wsdl (WS-Policy 2004/09, WCF's layout). */
export const ORDER_SERVICE_WSP2004 = readFileSync(`${root}order-service-wsp2004.wsdl`, 'utf8');

export const WSP15 = 'http://www.w3.org/ns/ws-policy';
export const WSP2004 = 'http://schemas.xmlsoap.org/ws/2004/09/policy';
export const SP = 'http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702';
export const NEVER = `${SP}/IncludeToken/Never`;
export const ALWAYS_TO_RECIPIENT = `${SP}/IncludeToken/AlwaysToRecipient`;

/** An AsymmetricBinding with X.509 tokens and the given suite and extra binding assertions. */
export function asymmetricBinding(
  suite = '<sp:Basic256Sha256/>',
  extra = '<sp:IncludeTimestamp/>',
): string {
  return (
    `<sp:AsymmetricBinding><wsp:Policy>` +
    `<sp:InitiatorToken><wsp:Policy><sp:X509Token sp:IncludeToken="${ALWAYS_TO_RECIPIENT}"><wsp:Policy><sp:WssX509V3Token10/></wsp:Policy></sp:X509Token></wsp:Policy></sp:InitiatorToken>` +
    `<sp:RecipientToken><wsp:Policy><sp:X509Token sp:IncludeToken="${NEVER}"><wsp:Policy><sp:WssX509V3Token10/></wsp:Policy></sp:X509Token></wsp:Policy></sp:RecipientToken>` +
    `<sp:AlgorithmSuite><wsp:Policy>${suite}</wsp:Policy></sp:AlgorithmSuite>${extra}` +
    `</wsp:Policy></sp:AsymmetricBinding>`
  );
}

/**
 * A one-binding contract ("B", one operation "SubmitOrder") whose binding holds
 * `bindingPolicy` (children of the binding) and whose definitions hold `policies`.
 */
export function contract(
  bindingPolicy: string,
  policies = '',
  options: { wsp?: string; bindingAttributes?: string; inputPolicy?: string } = {},
): string {
  return (
    `<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:t" targetNamespace="urn:t"` +
    ` xmlns:wsp="${options.wsp ?? WSP15}" xmlns:sp="${SP}" xmlns:wsseq="urn:wsseq:security-policy"` +
    ` xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
    policies +
    `<wsdl:portType name="P"><wsdl:operation name="SubmitOrder"><wsdl:input message="tns:M"/></wsdl:operation></wsdl:portType>` +
    `<wsdl:binding name="B" type="tns:P"${options.bindingAttributes ?? ''}>${bindingPolicy}` +
    `<wsdl:operation name="SubmitOrder"><wsdl:input>${options.inputPolicy ?? ''}</wsdl:input></wsdl:operation>` +
    `</wsdl:binding></wsdl:definitions>`
  );
}

/** Signed and encrypted Body, as an inline policy. */
export const SIGNED_ENCRYPTED_BODY =
  '<wsp:Policy><sp:SignedParts><sp:Body/></sp:SignedParts><sp:EncryptedParts><sp:Body/></sp:EncryptedParts></wsp:Policy>';
