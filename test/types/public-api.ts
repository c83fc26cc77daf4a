/**
 * Compile-only checks of the public API (run by `npm run typecheck`, never executed): what
 * must compile does, and what must not is marked with @ts-expect-error.
 */
import type { KeyObject } from 'node:crypto';
import {
  Certificate,
  TrustStore,
  certificateCredential,
  createOpener,
  createSecurer,
  isWsseqError,
  toSoapFault,
} from '../../src/index.js';
import type {
  AnyWsseqError,
  OpenResult,
  ReceiverPolicy,
  SecurityContext,
  SenderPolicy,
  WsseqErrorCode,
} from '../../src/index.js';

declare const cert: Certificate;
declare const key: KeyObject;
declare const wire: string;

export function compileChecks(): void {
  const securer = createSecurer({
    credential: certificateCredential({ certificate: cert, privateKey: key }),
    serviceCertificate: cert,
    policy: { algorithmSuite: 'Basic256GCMSha256', protectionOrder: 'EncryptBeforeSign' },
  });
  const secured: string = securer.secure(wire);
  secured;

  // @ts-expect-error an unknown suite name does not type-check
  const bad: SenderPolicy = { algorithmSuite: 'Basic999' };
  bad;
  // @ts-expect-error protection levels are WCF's names
  const badLevel: ReceiverPolicy = { protectionLevel: 'EncryptOnly' };
  badLevel;

  const opener = createOpener({
    serviceKeys: [{ certificate: cert, privateKey: key }],
    trust: new TrustStore({ trustedRoots: [cert] }),
  });
  void opener.open(wire).then((result: OpenResult) => {
    const ctx: SecurityContext = result.context;
    const name: string = ctx.identity.name;
    // @ts-expect-error the context is read-only
    ctx.signed = [];
    name;
  });

  try {
    // nothing
  } catch (err) {
    if (isWsseqError(err)) {
      const e: AnyWsseqError = err;
      const code: WsseqErrorCode = e.code;
      switch (code) {
        case 'SignatureInvalid':
        case 'DecryptionFailed':
          break;
        default:
          break;
      }
      // @ts-expect-error codes are a closed union
      const wrong: WsseqErrorCode = 'ERR_SOMETHING';
      wrong;
      void toSoapFault(e, { soapVersion: '1.2' });
    }
  }
}
