/**
 * Interop: UsernameToken messages made by Python zeep (zeep.wsse.username.UsernameToken, text
 * and digest, Created with zeep's "+00:00" and with Z) opened by wsseq. zeep sends the token
 * without a Timestamp, signature or encryption (as over TLS), so the receiver must say so
 * explicitly: protectionLevel None, allowUnprotectedToken, and allowPasswordText for text.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createUserStore } from '../../src/credentials/user-store.js';
import { usernameAuthenticator } from '../../src/credentials/username.js';
import type { UsernameAuthenticatorOptions } from '../../src/credentials/username.js';
import { createOpener } from '../../src/open/open-envelope.js';
import type { ReceiverPolicy } from '../../src/policy/policy.js';
import { TEST_NOW, orderEnvelope } from '../helpers.js';
import { PYTHON, hasZeep, rejectionCode, script } from './tools.js';

const PASSWORD = 'zeep-pässword 1';
const USERS = createUserStore([{ username: 'alice', password: PASSWORD, roles: ['buyer'] }], {
  scrypt: { N: 1024 },
  secretProvider: (name) => (name === 'alice' ? PASSWORD : undefined),
});
const POLICY: ReceiverPolicy = { protectionLevel: 'None', requireTimestamp: false };

/** The envelope with a zeep UsernameToken. */
function zeepUsername(
  envelope: string,
  password: string,
  options: { digest?: boolean; zulu?: boolean } = {},
): string {
  const args = [script('zeep_username.py'), 'alice', password, '--created', TEST_NOW.toISOString()];
  if (options.digest) args.push('--digest');
  if (options.zulu) args.push('--zulu');
  const r = spawnSync(PYTHON, args, {
    input: envelope,
    encoding: 'utf8',
    timeout: 20_000,
    killSignal: 'SIGKILL',
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`zeep_username.py exited ${String(r.status)}: ${r.stderr}`);
  return r.stdout;
}

function opener(options: Partial<UsernameAuthenticatorOptions>) {
  return createOpener({
    credentials: [usernameAuthenticator({ validator: USERS, ...options })],
    policy: POLICY,
    now: () => TEST_NOW,
  });
}

describe.runIf(hasZeep())('zeep UsernameToken → wsseq', () => {
  for (const version of ['1.1', '1.2'] as const) {
    for (const zulu of [false, true]) {
      it(`PasswordDigest (use_digest=True), SOAP ${version}, Created ${zulu ? 'Z' : '+00:00'}`, async () => {
        const wire = zeepUsername(orderEnvelope(version), PASSWORD, { digest: true, zulu });
        expect(wire).toContain('#PasswordDigest');
        expect(wire).toContain(zulu ? '12:00:00Z<' : '12:00:00+00:00<');
        const result = await opener({ allowUnprotectedToken: true }).open(wire);
        expect(result.context.identity).toMatchObject({
          name: 'alice',
          credentialType: 'UserName',
          roles: ['buyer'],
        });
        expect(result.body).toContain('widget');
        expect(result.replayKeys).toEqual([expect.stringMatching(/^nonce:/)]);
      });
    }

    it(`PasswordText, SOAP ${version}`, async () => {
      const wire = zeepUsername(orderEnvelope(version), PASSWORD);
      expect(wire).toContain('#PasswordText');
      const result = await opener({ allowUnprotectedToken: true, allowPasswordText: true }).open(
        wire,
      );
      expect(result.context.identity.name).toBe('alice');
    });
  }

  it('is refused without the explicit relaxations (PolicyViolation)', async () => {
    const text = zeepUsername(orderEnvelope(), PASSWORD);
    const digest = zeepUsername(orderEnvelope(), PASSWORD, { digest: true });
    expect(await rejectionCode(opener({}).open(digest))).toBe('PolicyViolation');
    expect(await rejectionCode(opener({ allowUnprotectedToken: true }).open(text))).toBe(
      'PolicyViolation',
    );
  });

  it('a wrong password from zeep is AuthenticationFailed (text and digest)', async () => {
    const relaxed = opener({ allowUnprotectedToken: true, allowPasswordText: true });
    for (const digest of [false, true]) {
      const wire = zeepUsername(orderEnvelope(), 'wrong', { digest });
      expect(await rejectionCode(relaxed.open(wire))).toBe('AuthenticationFailed');
    }
  });
});
