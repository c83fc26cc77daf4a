/**
 * The README's main job: every credential type in every mode is accepted, every attack is
 * rejected with its code and moved to the poison queue, and nothing is lost.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { krb5Unavailable } from '../../../src/dev/krb5-realm.js';
import { runDemo } from '../../../src/demo/run-demo.js';

// The Windows credential is sent when the MIT binaries are installed (here and in CI).
const windows = krb5Unavailable() === undefined ? 1 : 0;

/** The outcome recorder's counts per outcome, from the demo's SQLite file. */
function recorded(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare<[], { outcome: string; n: number }>(
        'SELECT outcome, COUNT(*) AS n FROM wsseq_console_outcomes GROUP BY outcome',
      )
      .all();
    return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
  } finally {
    db.close();
  }
}

/** Whether a process is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the demo', () => {
  it('accepts each credential in each mode and turns every attack away', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'wsseq-demo-'));
    const summary = await runDemo({ dir, write: (l) => lines.push(l) });
    const text = lines.join('\n');
    expect(summary).toEqual({ accepted: 7 + windows, rejected: 7, unexpected: 0 });
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
    if (windows) {
      // The principal is the identity; the KDC was stopped by its PID.
      expect(text).toContain('from alice@WSSEQ.DEMO (Windows)');
      const pid = Number(/KDC pid (\d+)/.exec(text)?.[1]);
      expect(pid).toBeGreaterThan(0);
      expect(alive(pid)).toBe(false);
    } else {
      expect(text).toContain('Windows credential skipped');
    }
    // The console's chart counts what the services recorded, in the queue file itself.
    expect(recorded(join(dir, 'queues.db'))).toEqual({
      accepted: 7 + windows,
      rejected: 7,
    });
    expect(text).toContain(`wsseq console --sqlite ${join(dir, 'queues.db')}`);
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
    expect(summary).toEqual({ accepted: 7 + windows, rejected: 7, unexpected: 0 });
    expect(recorded(join(dir, 'outcomes.db')).accepted).toBe(7 + windows);
    expect(lines.join('\n')).toMatch(/moved to wsseq-test-\d+\.orders\.message\.poison/);
  }, 120_000);
});
