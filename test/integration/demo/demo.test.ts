/**
 * The README's main job: every credential type in every mode is accepted, every attack is
 * rejected with its code and moved to the poison queue, and nothing is lost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../../src/demo/run-demo.js';

describe('the demo', () => {
  it('accepts each credential in each mode and turns every attack away', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'wsseq-demo-'));
    const summary = await runDemo({ dir, write: (l) => lines.push(l) });
    const text = lines.join('\n');
    expect(summary).toEqual({ accepted: 7, rejected: 7, unexpected: 0 });
    for (const code of [
      'SignatureInvalid',
      'CertificateUntrusted',
      'AuthenticationFailed',
      'Replay',
      'CertificateMismatch',
      'PolicyViolation',
    ]) {
      expect(text).toContain(`poison: ${code}`);
    }
    expect(text).toContain('from carol (UserName)');
    // The token's subject, not the account of the certificate that holds its key.
    expect(text).toContain('from dave (IssuedToken)');
    // A second run reuses the PKI and starts from empty queues.
    const again = await runDemo({ dir, write: () => undefined });
    expect(again).toEqual(summary);
  }, 120_000);

  it('runs the same flow over RabbitMQ (samples/rabbitmq)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsseq-demo-rabbit-'));
    const lines: string[] = [];
    const summary = await runDemo({
      dir,
      write: (l) => lines.push(l),
      queues: { kind: 'rabbitmq', prefix: `wsseq-test-${Date.now()}.` },
    });
    expect(summary).toEqual({ accepted: 7, rejected: 7, unexpected: 0 });
    expect(lines.join('\n')).toMatch(/moved to wsseq-test-\d+\.orders\.message\.poison/);
  }, 120_000);
});
