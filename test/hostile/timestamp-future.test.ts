/** A Timestamp created in the future: accepted within the clock skew, refused beyond it. */
import { describe, expect, it } from 'vitest';
import { TEST_NOW, getTestPki, orderEnvelope, secureAs, testOpener } from '../helpers.js';
import { expectRejected } from './attacker.js';

const at = (seconds: number) => new Date(TEST_NOW.getTime() + seconds * 1000);

describe('Timestamp created in the future', () => {
  it('accepts Created 4 minutes ahead (default skew 300 s)', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), {}, pki.client, at(240));
    expect((await testOpener(pki).open(wire)).body).toContain('widget');
  });

  it('rejects Created an hour ahead (MessageExpired)', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), {}, pki.client, at(3600));
    await expectRejected(testOpener(pki).open(wire), 'MessageExpired');
  });

  it('rejects Created 4 minutes ahead when the skew is 60 s (MessageExpired)', async () => {
    const pki = await getTestPki();
    const wire = secureAs(pki, orderEnvelope(), {}, pki.client, at(240));
    await expectRejected(testOpener(pki, { maxClockSkewSeconds: 60 }).open(wire), 'MessageExpired');
  });
});
