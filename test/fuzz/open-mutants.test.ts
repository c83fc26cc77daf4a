/**
 * Fuzzing `open` with seeded mutants of valid secured messages (certificate credential,
 * sign-only and sign+encrypt, SOAP 1.1 and 1.2; see mutators.ts for the mutations).
 * For every mutant:
 * - a rejection is a WsseqError with a code, never another error;
 * - no hang: each open takes at most a multiple of an honest open measured in this test
 *   (scaled by the mutant's size over the original's; at least 1 s, for a shared machine);
 * - an accepted mutant returns a Body whose exclusive canonical form is the signed
 *   original's.
 * WSSEQ_FUZZ_SEED and WSSEQ_FUZZ_COUNT run another or a larger campaign.
 *
 * Found by this campaign and fixed: a BinarySecurityToken whose certificate parses but whose
 * public key does not decode made `open` throw Node's raw OpenSSL error
 * (ERR_OSSL_EVP_DECODE_ERROR) instead of a WsseqError; a deterministic reproduction is below.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../src/dsig/c14n.js';
import { WsseqError } from '../../src/errors.js';
import type { Opener } from '../../src/open/open-envelope.js';
import type { SenderPolicy } from '../../src/policy/policy.js';
import { getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { seededRandom } from '../unit/dsig/c14n-corpus-generator.js';
import { mutate } from './mutators.js';

const SEED = Number(process.env.WSSEQ_FUZZ_SEED ?? 1203);
const COUNT = Number(process.env.WSSEQ_FUZZ_COUNT ?? 2400);
/** How many honest opens a mutant's open may take (times its size ratio). */
const TIME_FACTOR = 100;
const MIN_BOUND_MS = 1000;

interface Original {
  readonly name: string;
  readonly wire: string;
  readonly opener: Opener;
  readonly body: string;
  readonly honestMs: number;
}

async function original(
  name: string,
  version: '1.1' | '1.2',
  policy: SenderPolicy,
): Promise<Original> {
  const pki = await getTestPki();
  const wire = secureAs(pki, orderEnvelope(version, 'fuzz &amp; &lt;widget&gt; 😀'), policy);
  const opener = testOpener(
    pki,
    policy.protectionLevel ? { protectionLevel: policy.protectionLevel } : {},
  );
  const result = await opener.open(wire);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    await opener.open(wire);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    name,
    wire,
    opener,
    body: canonicalize(result.bodyElement).text,
    honestMs: times[7] ?? 1,
  };
}

interface Outcome {
  readonly accepted: number;
  readonly codes: Map<string, number>;
  readonly failures: string[];
}

async function campaign(originals: readonly Original[], count: number): Promise<Outcome> {
  const rnd = seededRandom(SEED);
  const codes = new Map<string, number>();
  const failures: string[] = [];
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    const o = originals[i % originals.length];
    if (!o) break;
    const { mutant, names } = mutate(o.wire, rnd);
    const size = typeof mutant === 'string' ? Buffer.byteLength(mutant) : mutant.byteLength;
    const bound = Math.max(
      MIN_BOUND_MS,
      TIME_FACTOR * o.honestMs * Math.max(1, size / Buffer.byteLength(o.wire)),
    );
    const what = `#${i} ${o.name} ${names.join('+')}`;
    const t = performance.now();
    try {
      const result = await o.opener.open(mutant);
      accepted++;
      if (canonicalize(result.bodyElement).text !== o.body) {
        failures.push(`${what}: accepted with a different Body`);
      }
    } catch (err) {
      if (!(err instanceof WsseqError) || typeof err.code !== 'string') {
        failures.push(`${what}: threw ${(err as Error).name}: ${(err as Error).message}`);
      } else {
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
      }
    }
    const ms = performance.now() - t;
    if (ms > bound) failures.push(`${what}: took ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)})`);
  }
  return { accepted, codes, failures };
}

describe('open under mutation', () => {
  it(`rejects ${COUNT} mutants with WsseqErrors only, in bounded time, and never returns another Body`, async () => {
    const originals = await Promise.all([
      original('sign+encrypt SOAP 1.1', '1.1', {}),
      original('sign+encrypt SOAP 1.2', '1.2', {}),
      original('sign-only SOAP 1.1', '1.1', { protectionLevel: 'Sign' }),
      original('sign-only SOAP 1.2', '1.2', { protectionLevel: 'Sign' }),
    ]);
    const outcome = await campaign(originals, COUNT);
    expect(outcome.failures.slice(0, 10)).toEqual([]);
    // The campaign really exercised the receiver: most mutants are refused, for many reasons.
    const refused = [...outcome.codes.values()].reduce((a, b) => a + b, 0);
    expect(refused + outcome.accepted).toBe(COUNT);
    expect(refused).toBeGreaterThan(COUNT / 2);
    expect(outcome.codes.size).toBeGreaterThan(4);
  }, 240_000);

  it('refuses a certificate whose public key does not decode with a WsseqError', async () => {
    const pki = await getTestPki();
    const policy: SenderPolicy = { protectionLevel: 'Sign' };
    const wire = secureAs(pki, orderEnvelope('1.1'), policy);
    const m = /(<wsse:BinarySecurityToken[^>]*>)([^<]+)</.exec(wire);
    const token = m?.[2];
    if (token === undefined) throw new Error('no BinarySecurityToken');
    const der = Buffer.from(token, 'base64');
    // rsaEncryption, NULL, then the BIT STRING header (03 82 01 0f 00) and the key's SEQUENCE.
    const oid = Buffer.from('06092a864886f70d0101010500', 'hex');
    const at = der.indexOf(oid) + oid.length + 5;
    expect(der[at]).toBe(0x30);
    der[at] = 0x31; // the key's SEQUENCE tag made a SET: the certificate parses, its key does not
    const bad = wire.replace(token, der.toString('base64'));
    const opener = testOpener(pki, { protectionLevel: 'Sign' });
    await expect(opener.open(bad)).rejects.toBeInstanceOf(WsseqError);
  });
});
