/** policyFromWsdl: each binding of the contracts in wsdl/ maps to the expected policies. */
import { describe, expect, it } from 'vitest';
import { policyFromWsdl } from '../../../src/policy/wsdl.js';
import { ORDER_SERVICE, ORDER_SERVICE_WSP2004 } from './contract.js';

describe('policyFromWsdl on wsdl/order-service.wsdl', () => {
  it('Certificate, Basic256Sha256: signed and encrypted Body, timestamp, ProtectTokens', () => {
    const c = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Certificate' });
    expect(c.binding).toBe('OrderQueue_Certificate');
    expect(c.mode).toBe('Message');
    expect(c.credentialType).toBe('Certificate');
    expect(c.sender).toEqual({
      protectionLevel: 'EncryptAndSign',
      protectionOrder: 'SignBeforeEncrypt',
      algorithmSuite: 'Basic256Sha256',
      signerKeyReference: 'bst',
      serviceKeyReference: 'thumbprint',
      signTokens: true,
    });
    expect(c.receiver).toEqual({
      protectionLevel: 'EncryptAndSign',
      algorithmSuites: ['Basic256Sha256'],
      requireTimestamp: true,
      requireSignedTimestamp: true,
      requireSignedTokens: true,
    });
    expect(c.requirements.layout).toBe('Strict');
    expect(c.requirements.onlySignEntireHeadersAndBody).toBe(true);
    expect(c.requirements.wss).toMatchObject({ version: '1.1', mustSupportRefThumbprint: true });
    expect(c.unknownAssertions).toEqual([]);
  });

  it('Certificate, GCM (wsseq:Basic256GCMSha256), EncryptBeforeSigning, certificate not sent', () => {
    const c = policyFromWsdl(ORDER_SERVICE, { binding: 'tns:OrderQueue_Certificate_Gcm' });
    expect(c.sender).toMatchObject({
      protectionLevel: 'EncryptAndSign',
      protectionOrder: 'EncryptBeforeSign',
      algorithmSuite: 'Basic256GCMSha256',
      signerKeyReference: 'thumbprint',
      serviceKeyReference: 'issuer-serial',
      signTokens: false,
    });
    expect(c.receiver.algorithmSuites).toEqual(['Basic256GCMSha256']);
    expect(c.notes.join('\n')).toMatch(/not sent \(IncludeToken Never\)/);
    expect(c.unknownAssertions).toEqual([]);
  });

  it('Certificate, sign only, Basic128Sha256', () => {
    const c = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Certificate_SignOnly' });
    expect(c.sender).toMatchObject({ protectionLevel: 'Sign', algorithmSuite: 'Basic128Sha256' });
    expect(c.receiver).toMatchObject({
      protectionLevel: 'Sign',
      algorithmSuites: ['Basic128Sha256'],
    });
  });

  it('UserName: SymmetricBinding, UsernameToken signed and encrypted, signature encrypted', () => {
    const c = policyFromWsdl(ORDER_SERVICE, { service: 'OrderService', port: 'UserName' });
    expect(c.binding).toBe('OrderQueue_UserName');
    expect(c.credentialType).toBe('UserName');
    expect(c.userNameToken).toEqual({
      kind: 'UsernameToken',
      includeToken: 'AlwaysToRecipient',
      passwordType: 'PasswordText',
    });
    expect(c.requirements.binding).toBe('SymmetricBinding');
    expect(c.requirements.supportingTokens[0]).toMatchObject({
      assertion: 'SignedEncryptedSupportingTokens',
      signed: true,
      encrypted: true,
      endorsing: false,
    });
    expect(c.sender).toMatchObject({
      protectionLevel: 'EncryptAndSign',
      protectionOrder: 'SignBeforeEncryptAndEncryptSignature',
      serviceKeyReference: 'thumbprint',
    });
    expect(c.unknownAssertions).toEqual([]);
  });

  it('IssuedToken: the issuer address and the request template', () => {
    const c = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_IssuedToken' });
    expect(c.credentialType).toBe('IssuedToken');
    expect(c.issuer).toMatchObject({
      issuerAddress: 'https://sts.example/tokens',
      tokenType: 'urn:ietf:params:oauth:token-type:jwt',
      keyType: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey',
    });
    expect(c.issuer?.requestSecurityTokenTemplate).toContain('RequestSecurityTokenTemplate');
    expect(c.requirements.supportingTokens[0]?.assertion).toBe('SignedSupportingTokens');
    expect(c.notes.join('\n')).toMatch(/Trust13/);
    expect(c.unknownAssertions).toEqual([]);
  });

  it('Transport mode: protection level None, timestamp required but not signed', () => {
    const u = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Transport_UserName' });
    expect(u.mode).toBe('Transport');
    expect(u.credentialType).toBe('UserName');
    expect(u.receiver).toMatchObject({
      protectionLevel: 'None',
      requireTimestamp: true,
      requireSignedTimestamp: false,
    });
    const c = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Transport_Certificate' });
    expect(c.credentialType).toBe('Certificate');
    expect(c.requirements.transportToken).toEqual({ requireClientCertificate: true });
  });

  it('needs a binding, service or port when the contract has several', () => {
    expect(() => policyFromWsdl(ORDER_SERVICE)).toThrow(/7 bindings/);
    expect(() => policyFromWsdl(ORDER_SERVICE, { service: 'OrderService' })).toThrow(/7 ports/);
    expect(() => policyFromWsdl(ORDER_SERVICE, { binding: 'Nope' })).toThrow(TypeError);
    expect(() => policyFromWsdl(ORDER_SERVICE, { service: 'OrderService', port: 'Nope' })).toThrow(
      /no port "Nope"/,
    );
  });
});

describe('policyFromWsdl on wsdl/order-service-wsp2004.wsdl (WS-Policy 2004/09)', () => {
  it('takes the first alternative and notes the others', () => {
    const c = policyFromWsdl(ORDER_SERVICE_WSP2004);
    expect(c.binding).toBe('NetMsmqBinding_IOrderService');
    expect(c.sender).toMatchObject({
      protectionLevel: 'EncryptAndSign',
      protectionOrder: 'SignBeforeEncryptAndEncryptSignature',
      algorithmSuite: 'Basic128Sha256',
      signTokens: false,
    });
    expect(c.receiver.algorithmSuites).toEqual(['Basic128Sha256']);
    const notes = c.notes.join('\n');
    expect(notes).toMatch(/2 alternatives; the first is used/);
    expect(notes).toMatch(/RequireSignatureConfirmation/);
    expect(notes).toMatch(/UsingAddressing is not a security assertion/);
    expect(c.unknownAssertions).toEqual([]);
  });
});
