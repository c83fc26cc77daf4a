import { describe, expect, it } from 'vitest';
import { issuedTokenAuthenticator } from '../../../src/credentials/issued-jwt.js';
import { createJwtToken } from '../../../src/credentials/jwt-token.js';
import type { MessageEvidence } from '../../../src/credentials/types.js';
import { parseTrusted } from '../../../src/xml/dom.js';
import { TEST_NOW } from '../../helpers.js';
import { AUDIENCE, ISSUER, getStsFixture, tokenFor } from './fixture.js';
import type { StsFixture } from './fixture.js';

const HOUR = 3600_000;

/** Evidence as the pipeline hands it over: the token signed with the Body by alice's key. */
function evidence(
  f: StsFixture,
  token: string,
  now: Date,
  validationTime?: Date,
): MessageEvidence & { readonly validationTime?: Date } {
  const doc = parseTrusted('<Security/>');
  const bst = createJwtToken(doc, token, 'JWT-1');
  return {
    bodySignature: {
      covered: [bst],
      certificate: f.pki.client.certificate,
      token: undefined,
      signatureValue: Buffer.alloc(0),
    },
    signatures: [],
    tokens: [bst],
    encrypted: [],
    certificates: [],
    timestamp: undefined,
    now,
    ...(validationTime === undefined ? {} : { validationTime }),
  };
}

describe('IssuedToken validity across queue latency', () => {
  it('a token that expired while the message waited: rejected at receipt, accepted at the signed time', async () => {
    const f = await getStsFixture();
    const authenticator = issuedTokenAuthenticator({
      trustedIssuers: [{ issuer: ISSUER, certificates: [f.sts.certificate] }],
      audience: AUDIENCE,
    });
    // Issued an hour before TEST_NOW for an hour; the message waited two hours.
    const token = tokenFor(f, { now: new Date(TEST_NOW.getTime() - HOUR), lifetimeSeconds: 3600 });
    const sentAt = new Date(TEST_NOW.getTime() - 30 * 60_000);
    const receivedAt = new Date(TEST_NOW.getTime() + 2 * HOUR);
    await expect(authenticator.authenticate(evidence(f, token, receivedAt))).rejects.toMatchObject({
      code: 'AuthenticationFailed',
    });
    const auth = await authenticator.authenticate(evidence(f, token, receivedAt, sentAt));
    expect(auth?.identity.name).toBe('alice');
    // A signed time after the token's expiry does not help.
    const lateSend = new Date(TEST_NOW.getTime() + HOUR);
    await expect(
      authenticator.authenticate(evidence(f, token, receivedAt, lateSend)),
    ).rejects.toMatchObject({ code: 'AuthenticationFailed' });
  });
});
