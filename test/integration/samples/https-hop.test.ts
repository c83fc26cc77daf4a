import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHttpsHopSample } from '../../../samples/https-hop/run.js';

describe('samples/https-hop', () => {
  it('accepts alice, and turns away a mismatch, a stranger, no certificate and a wrong host', async () => {
    const outcomes = await runHttpsHopSample(
      mkdtempSync(join(tmpdir(), 'wsseq-https-')),
      () => undefined,
    );
    expect(outcomes).toEqual([
      'accepted',
      'CertificateMismatch',
      'CertificateUntrusted',
      'CertificateRequired',
      'CertificateUntrusted',
    ]);
  }, 120_000);
});
