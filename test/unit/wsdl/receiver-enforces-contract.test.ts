/**
 * The receiver configured from the contract enforces it: a message secured with the sender
 * policy from the same contract opens; one lacking a required part, the Timestamp or the
 * signed token, or using another suite, is rejected.
 */
import { describe, expect, it } from 'vitest';
import { isWsseqError } from '../../../src/errors.js';
import { checkContract } from '../../../src/policy/contract-check.js';
import { policyFromWsdl } from '../../../src/policy/wsdl.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../../helpers.js';
import { NS, dropReference, find, idOf, open, resign, serialize } from '../../hostile/attacker.js';
import { ORDER_SERVICE, ORDER_SERVICE_WSP2004 } from './contract.js';

async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isWsseqError(err)) return err.code;
    throw err;
  }
  throw new Error('the message was accepted');
}

const certificate = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Certificate' });
const signOnly = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Certificate_SignOnly' });
const gcm = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_Certificate_Gcm' });
const wcf = policyFromWsdl(ORDER_SERVICE_WSP2004);

describe('a receiver configured from the contract', () => {
  it('opens what a sender configured from the same contract sends', async () => {
    const pki = await getTestPki();
    for (const c of [certificate, signOnly, wcf]) {
      const wire = secureAs(pki, orderEnvelope(), c.sender);
      const { context } = await testOpener(pki, c.receiver).open(wire);
      expect(context.credentialType).toBe('Certificate');
      expect(() => {
        checkContract(c, context);
      }).not.toThrow();
    }
    const wire = secureAs(pki, orderEnvelope(), gcm.sender);
    const opener = testOpener(pki, gcm.receiver, { knownCertificates: [pki.client.certificate] });
    const { context } = await opener.open(wire);
    expect(context.encrypted).toContain('Body');
  });

  it('EncryptedParts Body: a sign-only message is a PolicyViolation', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { ...certificate.sender, protectionLevel: 'Sign' });
    expect(await rejection(testOpener(pki, certificate.receiver).open(wire))).toBe(
      'PolicyViolation',
    );
  });

  it('SignedParts Body: an unsigned Body is a PolicyViolation', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { protectionLevel: 'None' });
    expect(await rejection(testOpener(pki, signOnly.receiver).open(wire))).toBe('PolicyViolation');
  });

  it('AlgorithmSuite Basic256Sha256: a Basic128Sha256 message is UnsupportedAlgorithm', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), {
      ...certificate.sender,
      algorithmSuite: 'Basic128Sha256',
    });
    expect(await rejection(testOpener(pki, certificate.receiver).open(wire))).toBe(
      'UnsupportedAlgorithm',
    );
  });

  it('AlgorithmSuite Basic256GCMSha256: an AES-CBC message is UnsupportedAlgorithm', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), {
      ...gcm.sender,
      algorithmSuite: 'Basic256Sha256',
    });
    const opener = testOpener(pki, gcm.receiver, { knownCertificates: [pki.client.certificate] });
    expect(await rejection(opener.open(wire))).toBe('UnsupportedAlgorithm');
  });

  it('IncludeTimestamp: a message without a Timestamp is a PolicyViolation', async () => {
    const pki = await getTestPki();
    const w = open(secureAs(pki, orderEnvelope(), signOnly.sender));
    const ts = find(w.security, NS.wsu, 'Timestamp');
    const signature = find(w.security, NS.ds, 'Signature');
    dropReference(signature, idOf(ts));
    w.security.removeChild(ts);
    resign(signature, pki.client.privateKey);
    expect(await rejection(testOpener(pki, signOnly.receiver).open(serialize(w.doc)))).toBe(
      'PolicyViolation',
    );
  });

  it('ProtectTokens: an unsigned BinarySecurityToken is a PolicyViolation', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), { ...signOnly.sender, signTokens: false });
    expect(await rejection(testOpener(pki, signOnly.receiver).open(wire))).toBe('PolicyViolation');
    // After an AES-CBC decryption every later failure is the one decryption error (no oracle).
    const cbc = secureAs(pki, orderEnvelope(), { ...certificate.sender, signTokens: false });
    expect(await rejection(testOpener(pki, certificate.receiver).open(cbc))).toBe(
      'DecryptionFailed',
    );
  });

  it('EncryptSignature: checkContract refuses a message whose signature is in the clear', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), {
      ...wcf.sender,
      protectionOrder: 'SignBeforeEncrypt',
    });
    const { context } = await testOpener(pki, wcf.receiver).open(wire);
    let error: unknown;
    try {
      checkContract(wcf, context);
    } catch (err) {
      error = err;
    }
    expect(isWsseqError(error) && error.code).toBe('PolicyViolation');
    expect(String(error)).toMatch(/sp:EncryptSignature/);
  });

  it('checkContract: another credential type, or a UsernameToken sent in the clear', () => {
    const userName = policyFromWsdl(ORDER_SERVICE, { binding: 'OrderQueue_UserName' });
    const signed = ['Body', 'Timestamp', 'UsernameToken'];
    expect(() => {
      checkContract(userName, {
        credentialType: 'Certificate',
        signed,
        encrypted: ['Body', 'Signature'],
      });
    }).toThrow(
      /SignedEncryptedSupportingTokens\/sp:UsernameToken: the contract asks for a UserName/,
    );
    expect(() => {
      checkContract(userName, {
        credentialType: 'UserName',
        signed,
        encrypted: ['Body', 'Signature'],
      });
    }).toThrow(/the UsernameToken is not encrypted/);
    expect(() => {
      checkContract(userName, {
        credentialType: 'UserName',
        signed,
        encrypted: ['Body', 'UsernameToken', 'Signature'],
      });
    }).not.toThrow();
  });
});
