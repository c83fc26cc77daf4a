/** Assertions not understood are reported (strict: thrown); WS-Policy references and normal form. */
import { describe, expect, it } from 'vitest';
import { policyFromWsdl } from '../../../src/policy/wsdl.js';
import { SIGNED_ENCRYPTED_BODY, WSP2004, asymmetricBinding, contract } from './contract.js';

describe('unknown assertions', () => {
  const wsdl = contract(
    `<wsp:Policy xmlns:x="urn:vendor">${asymmetricBinding(
      '<sp:Basic256Sha256/><sp:XPath10/>',
      '<sp:IncludeTimestamp/><sp:RequireFancyThing/>',
    )}<x:Compression/></wsp:Policy>`,
    '',
    {
      inputPolicy:
        '<wsp:Policy><sp:SignedParts><sp:Body/><sp:Header Name="Route" Namespace="urn:example:orders"/></sp:SignedParts>' +
        '<sp:EncryptedParts><sp:Body/></sp:EncryptedParts><sp:SignedElements/></wsp:Policy>',
    },
  );

  it('are reported by name, with the rest still mapped', () => {
    const c = policyFromWsdl(wsdl);
    expect(c.unknownAssertions).toEqual([
      'sp:AsymmetricBinding/sp:AlgorithmSuite/sp:XPath10',
      'sp:AsymmetricBinding/sp:RequireFancyThing',
      '{urn:vendor}Compression',
      'sp:SignedParts/sp:Header {urn:example:orders}Route (wsseq protects the Body, not other SOAP headers)',
      'sp:SignedElements',
    ]);
    expect(c.sender).toMatchObject({
      protectionLevel: 'EncryptAndSign',
      algorithmSuite: 'Basic256Sha256',
    });
  });

  it('strict: a TypeError naming them', () => {
    expect(() => policyFromWsdl(wsdl, { strict: true })).toThrow(TypeError);
    expect(() => policyFromWsdl(wsdl, { strict: true })).toThrow(
      /sp:XPath10.*Compression.*sp:SignedElements/,
    );
  });

  it('CXF GCM suites (SHA-1 digests) and sp:Basic256GCMSha256 are not wsseq:Basic256GCMSha256', () => {
    const cxf = policyFromWsdl(
      contract(
        `<wsp:Policy>${asymmetricBinding('<cxf:Basic256GCM xmlns:cxf="http://cxf.apache.org/custom/security-policy"/>')}</wsp:Policy>`,
      ),
    );
    expect(cxf.unknownAssertions).toEqual([
      'sp:AsymmetricBinding/sp:AlgorithmSuite/{http://cxf.apache.org/custom/security-policy}Basic256GCM',
    ]);
    const sp = policyFromWsdl(
      contract(`<wsp:Policy>${asymmetricBinding('<sp:Basic256GCMSha256/>')}</wsp:Policy>`),
    );
    expect(sp.unknownAssertions).toEqual([
      'sp:AsymmetricBinding/sp:AlgorithmSuite/sp:Basic256GCMSha256',
    ]);
  });

  it('a weak suite is a TypeError unless allowInsecureAlgorithms', () => {
    const wsdl = contract(`<wsp:Policy>${asymmetricBinding('<sp:Basic256/>')}</wsp:Policy>`, '', {
      inputPolicy: SIGNED_ENCRYPTED_BODY,
    });
    expect(() => policyFromWsdl(wsdl)).toThrow(/weak algorithms/);
    const c = policyFromWsdl(wsdl, { allowInsecureAlgorithms: true });
    expect(c.sender).toMatchObject({ algorithmSuite: 'Basic256', allowInsecureAlgorithms: true });
    expect(c.receiver).toMatchObject({
      algorithmSuites: ['Basic256'],
      allowInsecureAlgorithms: true,
    });
  });

  it('kerberos, derived keys and a supporting X.509 token are reported', () => {
    const c = policyFromWsdl(
      contract(
        `<wsp:Policy>${asymmetricBinding()}` +
          '<sp:EndorsingSupportingTokens><wsp:Policy><sp:X509Token/><sp:KerberosToken/></wsp:Policy></sp:EndorsingSupportingTokens>' +
          '<sp:SignedSupportingTokens><wsp:Policy><sp:UsernameToken><wsp:Policy><sp:RequireDerivedKeys/></wsp:Policy></sp:UsernameToken></wsp:Policy></sp:SignedSupportingTokens>' +
          '</wsp:Policy>',
      ),
    );
    expect(c.unknownAssertions).toEqual([
      expect.stringMatching(
        /^sp:EndorsingSupportingTokens\/sp:X509Token \(wsseq signs with the client certificate/,
      ),
      'sp:EndorsingSupportingTokens/sp:KerberosToken',
      'sp:SignedSupportingTokens/sp:UsernameToken/sp:RequireDerivedKeys',
    ]);
  });
});

describe('WS-Policy attachment and normal form', () => {
  const bindingPolicy = `<wsp:Policy wsu:Id="Endpoint">${asymmetricBinding()}</wsp:Policy>`;
  const messagePolicy = `<wsp:Policy wsu:Id="Message">${SIGNED_ENCRYPTED_BODY.slice(12, -13)}</wsp:Policy>`;

  it('resolves PolicyReference to a wsu:Id, in both WS-Policy namespaces', () => {
    for (const wsp of [undefined, WSP2004]) {
      const c = policyFromWsdl(
        contract('<wsp:PolicyReference URI="#Endpoint"/>', bindingPolicy + messagePolicy, {
          ...(wsp ? { wsp } : {}),
          inputPolicy: '<wsp:PolicyReference URI="#Message"/>',
        }),
      );
      expect(c.sender).toMatchObject({
        protectionLevel: 'EncryptAndSign',
        algorithmSuite: 'Basic256Sha256',
      });
      expect(c.receiver.requireTimestamp).toBe(true);
    }
  });

  it('resolves wsp:PolicyURIs and a policy Name', () => {
    const named = `<wsp:Policy Name="urn:t:policies:message">${SIGNED_ENCRYPTED_BODY.slice(12, -13)}</wsp:Policy>`;
    const c = policyFromWsdl(
      contract('', bindingPolicy + named, {
        bindingAttributes: ' wsp:PolicyURIs="#Endpoint"',
        inputPolicy: '<wsp:PolicyReference URI="urn:t:policies:message"/>',
      }),
    );
    expect(c.sender.protectionLevel).toBe('EncryptAndSign');
  });

  it('nested wsp:Policy, wsp:All and wsp:ExactlyOne flatten to the first alternative', () => {
    const c = policyFromWsdl(
      contract(
        `<wsp:Policy><wsp:ExactlyOne><wsp:All><wsp:Policy>${asymmetricBinding('<sp:Basic128Sha256/>')}</wsp:Policy></wsp:All>` +
          `<wsp:All>${asymmetricBinding('<sp:Basic256Sha256/>')}</wsp:All></wsp:ExactlyOne></wsp:Policy>`,
      ),
    );
    expect(c.sender.algorithmSuite).toBe('Basic128Sha256');
    expect(c.notes.join('\n')).toMatch(/2 alternatives; the first is used/);
  });

  it('a reference that does not resolve, a circular one, an empty ExactlyOne: TypeError', () => {
    expect(() =>
      policyFromWsdl(contract('<wsp:PolicyReference URI="https://policies.example/p.xml"/>')),
    ).toThrow(/does not resolve.*nothing is fetched/);
    expect(() =>
      policyFromWsdl(
        contract(
          '<wsp:PolicyReference URI="#A"/>',
          '<wsp:Policy wsu:Id="A"><wsp:PolicyReference URI="#B"/></wsp:Policy><wsp:Policy wsu:Id="B"><wsp:PolicyReference URI="#A"/></wsp:Policy>',
        ),
      ),
    ).toThrow(/circular/);
    expect(() => policyFromWsdl(contract('<wsp:Policy><wsp:ExactlyOne/></wsp:Policy>'))).toThrow(
      /allows nothing/,
    );
  });

  it('a binding without security policy: no message security, noted', () => {
    const c = policyFromWsdl(contract(''));
    expect(c.mode).toBe('None');
    expect(c.credentialType).toBe('None');
    expect(c.sender.protectionLevel).toBe('None');
    expect(c.receiver).toMatchObject({ protectionLevel: 'None', requireTimestamp: false });
    expect(c.notes.join('\n')).toMatch(/no security binding/);
  });

  it('refuses a DTD and what is not WSDL 1.1', () => {
    expect(() =>
      policyFromWsdl(
        '<!DOCTYPE d [<!ENTITY x "y">]><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"/>',
      ),
    ).toThrow(TypeError);
    expect(() => policyFromWsdl('<definitions/>')).toThrow(/not a WSDL 1.1 document/);
  });
});
