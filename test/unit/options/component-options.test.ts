/**
 * Every enumerated option of the trust store, identity mapping, credentials, transport
 * security and tooling entry points: misspellings refused (naming the option and its allowed
 * values), every allowed value accepted; typed options refused when of the wrong type.
 */
import { describe, expect, it } from 'vitest';
import {
  issuedTokenAuthenticator,
  issuedTokenCredential,
} from '../../../src/credentials/issued-jwt.js';
import { issueToken } from '../../../src/credentials/sts.js';
import { createUserStore } from '../../../src/credentials/user-store.js';
import { usernameAuthenticator, usernameCredential } from '../../../src/credentials/username.js';
import { certificateAuthenticator, certificateCredential } from '../../../src/credentials/x509.js';
import { diagnoseCertificate } from '../../../src/doctor/diagnose.js';
import { policyFromWsdl } from '../../../src/policy/wsdl.js';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { createHttpsGateway } from '../../../src/transport/https-gateway.js';
import { protectTransportMessage } from '../../../src/transport/transport-security.js';
import { createIdentityMapper } from '../../../src/trust/mapping.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { getTestPki } from '../../helpers.js';
import {
  NOT_BOOLEAN,
  NOT_NON_NEGATIVE,
  NOT_POSITIVE,
  refusal,
  testEnumOptions,
  testTypedOptions,
} from './option-table.js';

const pki = await getTestPki();
const root = pki.root.certificate;
const trust = new TrustStore({ trustedRoots: [root] });

function store(options: Record<string, unknown>): unknown {
  return new TrustStore({ trustedRoots: [root], ...options });
}
const tokenOptions = {
  signingKey: pki.intermediate.privateKey,
  signingCertificate: pki.intermediate.certificate,
  issuer: 'https://sts.example/',
  audience: 'urn:orders',
  subject: 'alice',
  lifetimeSeconds: 60,
  confirmation: 'bearer',
} as const;
const token = issueToken(tokenOptions);
function authenticator(options: Record<string, unknown>): unknown {
  return issuedTokenAuthenticator({
    trustedIssuers: [{ issuer: 'https://sts.example/', certificates: [root] }],
    audience: 'urn:orders',
    ...options,
  });
}
function protect(options: Record<string, unknown>): unknown {
  return protectTransportMessage(Buffer.from('x'), {
    id: 'm1',
    destination: 'orders',
    credential: pki.client,
    ...options,
  });
}

describe('TrustStore options', () => {
  testEnumOptions([
    {
      option: 'options.validationMode',
      allowed: ['ChainTrust', 'PeerTrust', 'PeerOrChainTrust', 'None', 'Custom'],
      build: (v) =>
        store({
          validationMode: v,
          trustedPeers: [pki.client.certificate],
          customValidator: () => undefined,
        }),
    },
    {
      option: 'options.revocationMode',
      allowed: ['NoCheck', 'Offline', 'Online'],
      build: (v) =>
        store({
          revocationMode: v,
          crls: [pki.crlIntermediate.pem],
          fetchCrl: () => Promise.resolve(undefined),
        }),
    },
  ]);
  testTypedOptions([
    {
      option: 'options.maxClockSkewSeconds',
      bad: NOT_NON_NEGATIVE,
      good: [0, 60],
      build: (v) => store({ maxClockSkewSeconds: v }),
    },
    {
      option: 'options.cacheTtlSeconds',
      bad: NOT_NON_NEGATIVE,
      good: [0, 60],
      build: (v) => store({ cacheTtlSeconds: v }),
    },
    {
      option: 'options.trustedRoots',
      bad: ['root.pem', root],
      good: [[root]],
      build: (v) => new TrustStore({ trustedRoots: v } as never),
    },
    {
      option: 'options.trustedRoots[0]',
      bad: [root.toPem(), pki.root],
      good: [root],
      build: (v) => new TrustStore({ trustedRoots: [v] } as never),
    },
    {
      option: 'options.requiredExtendedKeyUsage',
      bad: ['clientAuth', 1],
      good: [null, '1.3.6.1.5.5.7.3.2'],
      build: (v) => store({ requiredExtendedKeyUsage: v }),
    },
    {
      option: 'options.customValidator',
      bad: [{}, 'x'],
      good: [() => undefined],
      build: (v) => store({ customValidator: v }),
    },
    {
      option: 'options.trustedRoot',
      bad: [[root]],
      good: [],
      build: (v) => store({ trustedRoot: v }),
    },
    {
      option: 'options',
      bad: ['root.pem', undefined, null],
      good: [{ trustedRoots: [root] }],
      build: (v) => new TrustStore(v as never),
    },
  ]);
});

describe('identity mapping options', () => {
  testEnumOptions([
    {
      option: 'options.manyToOne[0].action',
      allowed: ['allow', 'deny'],
      build: (action) =>
        createIdentityMapper({
          manyToOne: [{ subject: { CN: '*' }, account: 'a', action }],
        } as never),
    },
  ]);
  testTypedOptions([
    {
      option: 'options.requireMapping',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v) => createIdentityMapper({ requireMapping: v } as never),
    },
    {
      option: 'options.manyToOne[0].subject.CN',
      bad: [1, ''],
      good: ['*'],
      build: (v) =>
        createIdentityMapper({ manyToOne: [{ subject: { CN: v }, account: 'a' }] } as never),
    },
    {
      option: 'options.oneToOne[0].acount',
      bad: ['a'],
      good: [],
      build: (v) =>
        createIdentityMapper({
          oneToOne: [{ certificate: root, account: 'a', acount: v }],
        } as never),
    },
  ]);
});

describe('credential options', () => {
  const styles = ['bst', 'thumbprint', 'ski', 'issuer-serial'];
  testEnumOptions([
    {
      option: 'options.keyReference',
      allowed: styles,
      build: (keyReference) => certificateCredential({ ...pki.client, keyReference } as never),
    },
    {
      option: 'options.algorithms[0]',
      allowed: ['RS256', 'PS256', 'ES256'],
      build: (alg) => authenticator({ algorithms: [alg] }),
    },
    {
      option: 'options.algorithm',
      allowed: ['RS256', 'PS256', 'ES256'],
      // RS256/PS256 with the RSA key; ES256 is refused later for an RSA key (not an option error).
      build: (algorithm) => {
        try {
          return issueToken({ ...tokenOptions, algorithm } as never);
        } catch (err) {
          if (algorithm === 'ES256' && !(err instanceof Error && err.name === 'InvalidOptionError'))
            return undefined;
          throw err;
        }
      },
    },
  ]);
  testTypedOptions([
    {
      option: 'options.keyRefernce',
      bad: ['ski'],
      good: [],
      build: (v) => certificateCredential({ ...pki.client, keyRefernce: v } as never),
    },
    {
      option: 'options.privateKey',
      bad: [pki.client.privateKeyPem, {}, undefined],
      good: [pki.client.privateKey],
      build: (v) =>
        certificateCredential({ certificate: pki.client.certificate, privateKey: v } as never),
    },
    {
      option: 'options.allowBearer',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v) => authenticator({ allowBearer: v }),
    },
    {
      option: 'options.requireSignedToken',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v) => authenticator({ requireSignedToken: v }),
    },
    {
      option: 'options.maxTokenLength',
      bad: [...NOT_POSITIVE, 1.5],
      good: [100],
      build: (v) => authenticator({ maxTokenLength: v }),
    },
    {
      option: 'options.trustedIssuers[0].certificates',
      bad: [[], root, 'pem'],
      good: [[root]],
      build: (v) => authenticator({ trustedIssuers: [{ issuer: 'i', certificates: v }] }),
    },
    {
      option: 'options.keyReference',
      bad: ['BST'],
      good: ['bst'],
      build: (v) => issuedTokenCredential({ token, keyReference: v } as never),
    },
    {
      option: 'options.lifetimeSeconds',
      bad: [...NOT_POSITIVE, 1.5],
      good: [60],
      build: (v) => issueToken({ ...tokenOptions, lifetimeSeconds: v } as never),
    },
    {
      option: 'options.confirmation',
      bad: ['Bearer', {}, undefined],
      good: ['bearer', { certificate: pki.client.certificate }],
      build: (v) => issueToken({ ...tokenOptions, confirmation: v } as never),
    },
  ]);
  it('certificateAuthenticator refuses what is not a TrustStore', () => {
    expect(refusal(() => certificateAuthenticator({} as never)).option).toBe('trust');
    expect(() => certificateAuthenticator(trust)).not.toThrow();
  });
});

describe('UserName credential options', () => {
  const users = createUserStore([], { secretProvider: () => undefined });
  testEnumOptions([
    {
      option: 'options.passwordType',
      allowed: ['PasswordText', 'PasswordDigest'],
      build: (passwordType) =>
        usernameCredential({ username: 'alice', password: 'pw', passwordType } as never),
    },
  ]);
  testTypedOptions([
    {
      option: 'options.allowUnencryptedPasswordText',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v) =>
        usernameCredential({
          username: 'alice',
          password: 'pw',
          passwordType: 'PasswordText',
          allowUnencryptedPasswordText: v,
        } as never),
    },
    {
      option: 'options.allowPasswordText',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v) => usernameAuthenticator({ validator: users, allowPasswordText: v } as never),
    },
    {
      option: 'options.validator',
      bad: [{}, undefined, () => undefined],
      good: [users],
      build: (v) => usernameAuthenticator({ validator: v } as never),
    },
    {
      option: 'options.scrypt.N',
      bad: NOT_POSITIVE,
      good: [1024],
      build: (N) => createUserStore([], { scrypt: { N } } as never),
    },
  ]);
});

describe('transport security options', () => {
  const queue = createMemoryQueue('orders');
  testEnumOptions([
    { option: 'options.hop', allowed: ['queue', 'https'], build: (hop) => protect({ hop }) },
  ]);
  testTypedOptions([
    {
      option: 'options.ttlMs',
      bad: [...NOT_POSITIVE, 1.5],
      good: [1000],
      build: (v) => protect({ ttlMs: v }),
    },
    {
      option: 'options.credential.certificate',
      bad: [{}, pki.client.certificate],
      good: [pki.client],
      build: (v) => protect({ credential: v }),
    },
    {
      option: 'options.recipient',
      bad: [pki.service],
      good: [pki.service.certificate],
      build: (v) => protect({ recipient: v }),
    },
  ]);
  it('createHttpsGateway: every clientCertificate misspelling refused before listening', async () => {
    for (const mode of ['require', 'Required', '', 1]) {
      const err: unknown = await createHttpsGateway({
        key: pki.service.privateKey,
        cert: pki.service.certificate,
        queue,
        clientCertificate: mode,
        trust,
      } as never).catch((e: unknown) => e);
      expect((err as { option?: string }).option).toBe('options.clientCertificate');
      expect((err as { allowed?: string[] }).allowed).toEqual(['Ignore', 'Accept', 'Require']);
    }
  });
});

describe('tooling options', () => {
  testTypedOptions([
    {
      option: 'options.strict',
      bad: NOT_BOOLEAN,
      good: [],
      build: (v) => policyFromWsdl('<x/>', { strict: v } as never),
    },
    {
      option: 'options.bindng',
      bad: ['b'],
      good: [],
      build: (v) => policyFromWsdl('<x/>', { bindng: v } as never),
    },
  ]);
  it('diagnoseCertificate: every purpose misspelling refused, both purposes accepted', async () => {
    for (const purpose of ['Client', 'server', '', 1]) {
      const err: unknown = await diagnoseCertificate({ certificate: root, purpose } as never).catch(
        (e: unknown) => e,
      );
      expect((err as { option?: string }).option).toBe('options.purpose');
      expect((err as { allowed?: string[] }).allowed).toEqual(['client', 'service']);
    }
    for (const purpose of ['client', 'service'] as const) {
      await expect(
        diagnoseCertificate({ certificate: pki.client.certificate, purpose }),
      ).resolves.toBeDefined();
    }
  });
});
