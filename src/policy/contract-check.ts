/**
 * What a contract requires that the receiver policy cannot express, checked on a message
 * the opener accepted: the client credential type, the protection of supporting tokens and
 * EncryptSignature.
 */
import { PolicyError } from '../errors.js';
import type { SecurityContext } from '../open/open-envelope.js';
import type { PolicyFromWsdlResult } from './wsdl.js';

/**
 * Check an opened message against the rest of its contract. Call it after `open` with the
 * result of {@link policyFromWsdl} the opener's policy came from.
 *
 * Limits: the protection order (EncryptBeforeSigning) and the layout are not checked; an
 * issued token's signature is the IssuedToken authenticator's to require (it does by default).
 * @example
 * const { context } = await opener.open(wire);
 * checkContract(contract, context);
 * @throws PolicyError `PolicyViolation` naming the unmet assertion.
 */
export function checkContract(
  contract: Pick<PolicyFromWsdlResult, 'credentialType' | 'requirements' | 'receiver' | 'mode'>,
  context: Pick<SecurityContext, 'credentialType' | 'signed' | 'encrypted'>,
): void {
  const r = contract.requirements;
  const support = r.supportingTokens[0];
  if (contract.credentialType !== 'None' && context.credentialType !== contract.credentialType) {
    const assertion = support
      ? `sp:${support.assertion}/sp:${support.token.kind}`
      : r.transportToken
        ? 'sp:TransportBinding/sp:TransportToken/sp:HttpsToken/sp:RequireClientCertificate'
        : 'sp:AsymmetricBinding/sp:InitiatorToken';
    throw new PolicyError(
      'PolicyViolation',
      `${assertion}: the contract asks for a ${contract.credentialType} credential; the message carries ${context.credentialType}`,
    );
  }
  if (
    contract.mode === 'Message' &&
    r.encryptSignature &&
    !r.encryptBeforeSigning &&
    contract.receiver.protectionLevel === 'EncryptAndSign' &&
    !context.encrypted.includes('Signature')
  ) {
    throw new PolicyError(
      'PolicyViolation',
      'sp:EncryptSignature: the message signature is not encrypted',
    );
  }
  if (contract.mode === 'Message' && support?.token.kind === 'UsernameToken') {
    const name = `sp:${support.assertion}/sp:UsernameToken`;
    if (support.signed && !context.signed.includes('UsernameToken')) {
      throw new PolicyError('PolicyViolation', `${name}: the UsernameToken is not signed`);
    }
    if (support.encrypted && !context.encrypted.includes('UsernameToken')) {
      throw new PolicyError('PolicyViolation', `${name}: the UsernameToken is not encrypted`);
    }
  }
}
