/** The WS-SecurityPolicy KerberosToken assertion (WssGssKerberosV5ApReqToken11) in a WSDL contract. */
import { describe, expect, it } from 'vitest';
import { policyFromWsdl } from '../../../src/policy/wsdl.js';
import { ALWAYS_TO_RECIPIENT, SIGNED_ENCRYPTED_BODY, contract } from '../wsdl/contract.js';

function kerberosBinding(tokenAssertions: string): string {
  return (
    `<wsp:Policy><sp:SymmetricBinding><wsp:Policy>` +
    `<sp:ProtectionToken><wsp:Policy><sp:KerberosToken sp:IncludeToken="${ALWAYS_TO_RECIPIENT}">` +
    `<wsp:Policy>${tokenAssertions}</wsp:Policy></sp:KerberosToken></wsp:Policy></sp:ProtectionToken>` +
    `<sp:AlgorithmSuite><wsp:Policy><sp:Basic256Sha256/></wsp:Policy></sp:AlgorithmSuite>` +
    `<sp:IncludeTimestamp/></wsp:Policy></sp:SymmetricBinding></wsp:Policy>`
  );
}

describe('sp:KerberosToken', () => {
  it('a SymmetricBinding with a GSS Kerberos ProtectionToken asks for the Windows credential', () => {
    const c = policyFromWsdl(
      contract(kerberosBinding('<sp:RequireDerivedKeys/><sp:WssGssKerberosV5ApReqToken11/>'), '', {
        inputPolicy: SIGNED_ENCRYPTED_BODY,
      }),
    );
    expect(c.credentialType).toBe('Windows');
    expect(c.unknownAssertions).toEqual([]);
    expect(c.sender).toMatchObject({ algorithmSuite: 'Basic256Sha256' });
  });

  it('unknown nested assertions are still reported', () => {
    const c = policyFromWsdl(
      contract(kerberosBinding('<sp:WssGssKerberosV5ApReqToken11/><sp:RequireFancyTicket/>')),
    );
    expect(c.credentialType).toBe('Windows');
    expect(c.unknownAssertions).toEqual([
      'sp:SymmetricBinding/sp:ProtectionToken/sp:KerberosToken/sp:RequireFancyTicket',
    ]);
  });
});
