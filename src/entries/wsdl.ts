/**
 * `wsseq/wsdl`: security policy from a WSDL contract (WS-SecurityPolicy 1.2), and the check
 * that a message meets the contract's own requirements. Re-exports only.
 */
export { policyFromWsdl } from '../policy/wsdl.js';
export type {
  PolicyFromWsdlOptions,
  PolicyFromWsdlResult,
  SecurityRequirements,
  IssuedTokenRequirement,
  UserNameTokenRequirement,
  SupportingTokenRequirement,
  X509TokenRequirement,
  WssOptions,
  IncludeToken,
} from '../policy/wsdl.js';
export { checkContract } from '../policy/contract-check.js';
