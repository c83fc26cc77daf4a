/** Every option of createSecurer, createWcfSecurer and createOpener, and their policies. */
import { describe } from 'vitest';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import { ALGORITHM_SUITES } from '../../../src/policy/algorithms.js';
import { DEFAULT_LIMITS } from '../../../src/policy/policy.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { createWcfSecurer } from '../../../src/secure/wcf-layout.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { getTestPki } from '../../helpers.js';
import {
  NOT_BOOLEAN,
  NOT_NON_NEGATIVE,
  NOT_POSITIVE,
  testEnumOptions,
  testTypedOptions,
} from './option-table.js';

const pki = await getTestPki();
const SUITES = Object.keys(ALGORITHM_SUITES);

function securer(policy: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return createSecurer({
    credential: certificateCredential(pki.client),
    serviceCertificate: pki.service.certificate,
    policy: { allowInsecureAlgorithms: true, ...policy },
    ...extra,
  });
}
const sender = (key: string) => (value: unknown) => securer({ [key]: value });

const trust = new TrustStore({ trustedRoots: [pki.root.certificate] });
function opener(policy: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return createOpener({
    serviceKeys: [pki.service],
    trust,
    policy: { allowInsecureAlgorithms: true, ...policy },
    ...extra,
  });
}
const receiver = (key: string) => (value: unknown) => opener({ [key]: value });

function wcf(options: Record<string, unknown>): unknown {
  return createWcfSecurer({
    layout: 'MutualCertificate11',
    credential: certificateCredential(pki.client),
    serviceCertificate: pki.service.certificate,
    allowInsecureAlgorithms: true,
    ...options,
  } as never);
}
const wcfOption = (key: string) => (value: unknown) => wcf({ [key]: value });

describe('SenderPolicy options (createSecurer)', () => {
  testEnumOptions([
    {
      option: 'policy.protectionLevel',
      allowed: ['None', 'Sign', 'EncryptAndSign'],
      build: sender('protectionLevel'),
    },
    {
      option: 'policy.protectionOrder',
      allowed: ['SignBeforeEncrypt', 'SignBeforeEncryptAndEncryptSignature', 'EncryptBeforeSign'],
      build: sender('protectionOrder'),
    },
    { option: 'policy.algorithmSuite', allowed: SUITES, build: sender('algorithmSuite') },
    {
      option: 'policy.keyTransport',
      allowed: ['rsa-oaep-mgf1p', 'rsa-oaep'],
      build: sender('keyTransport'),
    },
    {
      option: 'policy.signerKeyReference',
      allowed: ['bst', 'thumbprint', 'ski', 'issuer-serial'],
      build: sender('signerKeyReference'),
    },
    {
      option: 'policy.serviceKeyReference',
      allowed: ['thumbprint', 'ski', 'issuer-serial'],
      build: sender('serviceKeyReference'),
    },
  ]);
  testTypedOptions([
    {
      option: 'policy.timestampTtlSeconds',
      bad: NOT_NON_NEGATIVE,
      good: [0, 1, 300],
      build: sender('timestampTtlSeconds'),
    },
    {
      option: 'policy.signTokens',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: sender('signTokens'),
    },
    {
      option: 'policy.allowInsecureAlgorithms',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: sender('allowInsecureAlgorithms'),
    },
    { option: 'policy.actor', bad: ['', 1], good: ['urn:a'], build: sender('actor') },
    { option: 'policy.addressTo', bad: ['', {}], good: ['urn:a'], build: sender('addressTo') },
    { option: 'policy.protectonLevel', bad: ['Sign'], good: [], build: sender('protectonLevel') },
    {
      option: 'policy',
      bad: ['Sign', 1, []],
      good: [{}],
      build: (p) => securer({}, { policy: p }),
    },
    {
      option: 'options.now',
      bad: [new Date(), 'now', 1],
      good: [() => new Date()],
      build: (now) => securer({}, { now }),
    },
    {
      option: 'options.serviceCertificate',
      bad: [pki.service.certificate.toPem(), {}, pki.service],
      good: [pki.service.certificate],
      build: (c) => securer({}, { serviceCertificate: c }),
    },
    {
      option: 'options.credential',
      bad: [{}, 'alice', undefined],
      good: [certificateCredential(pki.client)],
      build: (c) => securer({}, { credential: c }),
    },
    { option: 'options.polcy', bad: [{}], good: [], build: (p) => securer({}, { polcy: p }) },
  ]);
});

describe('ReceiverPolicy options (createOpener)', () => {
  testEnumOptions([
    {
      option: 'policy.protectionLevel',
      allowed: ['None', 'Sign', 'EncryptAndSign'],
      build: receiver('protectionLevel'),
    },
    {
      option: 'policy.credentialValidation',
      allowed: ['AtReceipt', 'AtSignedTime'],
      build: (v) => opener({ credentialValidation: v, maxMessageAgeSeconds: 60 }),
    },
    {
      option: 'policy.algorithmSuites[0]',
      allowed: SUITES,
      build: (v) => opener({ algorithmSuites: [v] }),
    },
  ]);
  const booleans = [
    'requireTimestamp',
    'requireSignedTimestamp',
    'requireSignedTokens',
    'requireExpires',
    'allowComments',
    'allowInsecureAlgorithms',
  ];
  testTypedOptions([
    ...booleans.map((key) => ({
      option: `policy.${key}`,
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: receiver(key),
    })),
    ...['allowMissingEncodingType', 'allowMissingValueType'].map((key) => ({
      option: `policy.relaxations.${key}`,
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v: unknown) => opener({ relaxations: { [key]: v } }),
    })),
    ...Object.keys(DEFAULT_LIMITS).map((key) => ({
      option: `policy.limits.${key}`,
      bad: [...NOT_POSITIVE, 1.5],
      good: [1, 1000],
      build: (v: unknown) => opener({ limits: { [key]: v } }),
    })),
    {
      option: 'policy.limits.maxDeph',
      bad: [10],
      good: [],
      build: (v) => opener({ limits: { maxDeph: v } }),
    },
    {
      option: 'policy.maxClockSkewSeconds',
      bad: NOT_NON_NEGATIVE,
      good: [0, 300],
      build: receiver('maxClockSkewSeconds'),
    },
    {
      option: 'policy.maxMessageAgeSeconds',
      bad: NOT_POSITIVE,
      good: [1, 86400],
      build: receiver('maxMessageAgeSeconds'),
    },
    {
      option: 'policy.algorithmSuites',
      bad: [[], 'Basic256GCMSha256'],
      good: [['Basic256GCMSha256']],
      build: receiver('algorithmSuites'),
    },
    { option: 'policy.actor', bad: ['', 1], good: ['urn:a'], build: receiver('actor') },
    {
      option: 'policy.requireAddressTo',
      bad: ['', 1],
      good: ['urn:a'],
      build: receiver('requireAddressTo'),
    },
    {
      option: 'policy.requireAdressTo',
      bad: ['urn:a'],
      good: [],
      build: receiver('requireAdressTo'),
    },
    {
      option: 'options.keepSecurityHeader',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (v) => opener({}, { keepSecurityHeader: v }),
    },
  ]);
});

describe('WcfSecureOptions (createWcfSecurer)', () => {
  testEnumOptions([
    {
      option: 'options.layout',
      allowed: ['MutualCertificate11', 'MutualCertificate10', 'UserNameForCertificate'],
      build: wcfOption('layout'),
    },
    { option: 'options.algorithmSuite', allowed: SUITES, build: wcfOption('algorithmSuite') },
    {
      option: 'options.protectionOrder',
      allowed: ['SignBeforeEncrypt', 'SignBeforeEncryptAndEncryptSignature'],
      build: wcfOption('protectionOrder'),
    },
    {
      option: 'options.derivedKeys',
      allowed: ['separate', 'single', 'none'],
      build: wcfOption('derivedKeys'),
    },
    {
      option: 'options.secureConversationVersion',
      allowed: ['2005/02', '1.3'],
      build: wcfOption('secureConversationVersion'),
    },
  ]);
  testTypedOptions([
    ...['allowInsecureAlgorithms', 'derivedKeyValueType', 'signAddressingHeaders'].map((key) => ({
      option: `options.${key}`,
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: wcfOption(key),
    })),
    {
      option: 'options.timestampTtlSeconds',
      bad: NOT_NON_NEGATIVE,
      good: [0, 300],
      build: wcfOption('timestampTtlSeconds'),
    },
    {
      option: 'options.addressing.to',
      bad: [undefined, ''],
      good: ['net.msmq://host/private/q'],
      build: (to) => wcf({ addressing: { action: 'urn:a', to } }),
    },
    {
      option: 'options.addressing.replyTo',
      bad: NOT_BOOLEAN,
      good: [true, false],
      build: (replyTo) => wcf({ addressing: { action: 'urn:a', to: 'urn:b', replyTo } }),
    },
    {
      option: 'options.protectionLevel',
      bad: ['Sign'],
      good: [],
      build: wcfOption('protectionLevel'),
    },
    {
      option: 'options.logger',
      bad: [{ info: () => undefined, warn: () => undefined }, 'console'],
      good: [{ info: () => undefined, warn: () => undefined, error: () => undefined }],
      build: wcfOption('logger'),
    },
  ]);
});
