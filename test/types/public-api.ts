/**
 * Compile-only checks of the public API (run by `npm run typecheck`, never executed): what
 * must compile does, and what must not is marked with @ts-expect-error.
 */
import type { KeyObject } from 'node:crypto';
import {
  Certificate,
  MustUnderstandError,
  TrustStore,
  certificateCredential,
  createOpener,
  createSecurer,
  isWsseqError,
  toSoapFault,
} from 'wsseq';
import type {
  HeaderName,
  OpenResult,
  ReceiverPolicy,
  SecurityContext,
  SenderPolicy,
  WsseqErrorCode,
} from 'wsseq';

declare const cert: Certificate;
declare const key: KeyObject;
declare const wire: string;

export const goodSender: SenderPolicy = {
  algorithmSuite: 'Basic256GCMSha256',
  protectionOrder: 'EncryptBeforeSign',
};

// @ts-expect-error an unknown suite name does not type-check
export const badSuite: SenderPolicy = { algorithmSuite: 'Basic999' };

// @ts-expect-error protection levels are WCF's names
export const badLevel: ReceiverPolicy = { protectionLevel: 'EncryptOnly' };

// @ts-expect-error codes are a closed union
export const badCode: WsseqErrorCode = 'ERR_SOMETHING';

export function secureOne(): string {
  return createSecurer({
    credential: certificateCredential({ certificate: cert, privateKey: key }),
    serviceCertificate: cert,
    policy: goodSender,
  }).secure(wire);
}

export async function openOne(): Promise<string> {
  const opener = createOpener({
    serviceKeys: [{ certificate: cert, privateKey: key }],
    trust: new TrustStore({ trustedRoots: [cert] }),
  });
  const result: OpenResult = await opener.open(wire);
  const ctx: SecurityContext = result.context;
  // @ts-expect-error the context is read-only
  ctx.signed = [];
  return ctx.identity.name;
}

export function faultFor(err: unknown): string | undefined {
  if (!isWsseqError(err)) return undefined;
  switch (err.code) {
    case 'SignatureInvalid':
    case 'DecryptionFailed':
      return toSoapFault(err, { soapVersion: '1.2' });
    default:
      return toSoapFault(err);
  }
}

export function notUnderstoodNames(err: unknown): readonly string[] {
  if (err instanceof MustUnderstandError) {
    const code: 'MustUnderstand' = err.code;
    return err.notUnderstood.map((h: HeaderName) => `${code} {${h.namespaceURI}}${h.localName}`);
  }
  return [];
}

export const understands: ReceiverPolicy = { understoodHeaders: ['{urn:example}Route'] };

// @ts-expect-error understoodHeaders are names, not elements
export const badUnderstands: ReceiverPolicy = { understoodHeaders: [{ localName: 'Route' }] };
