/**
 * Shared fixtures for the WCF layout tests: the keys the Mono vectors were made with (test data
 * under test/vectors/wcf/keys), the vectors and their pinned receiver clocks, and a minimal
 * UserName credential pair (the real UserName plug-in lives in src/credentials).
 */
import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AttachContext,
  Attachment,
  Authentication,
  MessageEvidence,
  ReceiverCredential,
  SenderCredential,
} from '../../../src/credentials/types.js';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { reject } from '../../../src/errors.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import type { Opener } from '../../../src/open/open-envelope.js';
import type { ReceiverPolicy } from '../../../src/policy/policy.js';
import { Certificate } from '../../../src/trust/certificate.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { createElement } from '../../../src/xml/build.js';
import { childElements, textOf } from '../../../src/xml/dom.js';
import { NS, VALUE_TYPE } from '../../../src/xml/ns.js';

export const VECTORS = join(import.meta.dirname, '../../vectors/wcf');
const KEYS = join(VECTORS, 'keys');

export interface KeyPair {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
}

function pair(name: string): KeyPair {
  return {
    certificate: Certificate.fromPem(readFileSync(join(KEYS, `${name}.pem`), 'utf8')),
    privateKey: createPrivateKey(readFileSync(join(KEYS, `${name}.key`))),
  };
}

export const keys = {
  root: Certificate.fromPem(readFileSync(join(KEYS, 'root.pem'), 'utf8')),
  client: pair('client'),
  service: pair('service'),
  untrusted: pair('untrusted'),
};

export interface VectorInfo {
  readonly file: string;
  readonly layout: string;
  readonly soap: '1.1' | '1.2';
  readonly protectionOrder: string;
  readonly suite: string;
  readonly receiverTime: string;
}

export const vectors: readonly VectorInfo[] = (
  JSON.parse(readFileSync(join(VECTORS, 'vectors.json'), 'utf8')) as { vectors: VectorInfo[] }
).vectors;

export function vector(file: string): { wire: Buffer; info: VectorInfo } {
  const info = vectors.find((v) => v.file === file);
  if (!info) throw new Error(`no vector ${file}`);
  return { wire: readFileSync(join(VECTORS, file)), info };
}

/** What a service configured like WCF's defaults (Basic256, Mono's quirks) accepts. */
export const MONO_POLICY: ReceiverPolicy = {
  algorithmSuites: ['Basic256', 'Basic256Sha256'],
  allowInsecureAlgorithms: true,
  relaxations: { allowMissingEncodingType: true, allowMissingValueType: true },
};

export const USERS: Readonly<Record<string, string>> = { alice: 'correct horse' };

export function wcfOpener(
  at: Date,
  policy: ReceiverPolicy = MONO_POLICY,
  credentials: readonly ReceiverCredential[] = [],
): Opener {
  return createOpener({
    serviceKeys: [keys.service],
    trust: new TrustStore({ trustedRoots: [keys.root] }),
    credentials,
    policy,
    now: () => at,
  });
}

export function clientCredential(who: KeyPair = keys.client): SenderCredential {
  return certificateCredential({ certificate: who.certificate, privateKey: who.privateKey });
}

/** A PasswordText UsernameToken sender, enough to exercise the layout. */
export function testUserName(user: string, password: string): SenderCredential {
  return {
    type: 'UserName',
    attach(ctx: AttachContext): Attachment {
      const doc = ctx.document;
      const ut = createElement(doc, NS.wsse, 'wsse:UsernameToken');
      ut.setAttributeNS(NS.wsu, 'wsu:Id', ctx.newId('UT'));
      ut.appendChild(createElement(doc, NS.wsse, 'wsse:Username', {}, user));
      ut.appendChild(
        createElement(doc, NS.wsse, 'wsse:Password', { Type: VALUE_TYPE.passwordText }, password),
      );
      ctx.security.appendChild(ut);
      return { signingKey: undefined, encryptedTokens: [ut] };
    },
  };
}

/** Accepts a PasswordText UsernameToken from {@link USERS} that arrived encrypted. */
export const testUserNameAuthenticator: ReceiverCredential = {
  type: 'UserName',
  authenticate(evidence: MessageEvidence): Promise<Authentication | undefined> {
    const ut = evidence.tokens.find(
      (t) => t.namespaceURI === NS.wsse && t.localName === 'UsernameToken',
    );
    if (!ut) return Promise.resolve(undefined);
    const [name, password] = childElements(ut).map((c) => textOf(c));
    if (name === undefined || USERS[name] !== password || !evidence.encrypted.includes(ut)) {
      return Promise.reject(reject('AuthenticationFailed', 'bad user name or password'));
    }
    return Promise.resolve({
      identity: { name, credentialType: 'UserName', claims: {}, roles: [] },
    });
  },
};
