/**
 * Issue 13: without the MIT Kerberos binaries the demo says plainly that the Windows
 * credential was skipped and how to get it, and still succeeds.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runDemo } from '../../../src/demo/run-demo.js';

vi.mock('../../../src/dev/krb5-realm.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/dev/krb5-realm.js')>()),
  krb5Unavailable: () => 'MIT Kerberos binaries missing (/usr/sbin/krb5kdc)',
}));

describe('the demo without Kerberos', () => {
  it('skips the Windows credential with one plain line and succeeds', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'wsseq-demo-nokrb5-'));
    const summary = await runDemo({ dir, write: (l) => lines.push(l) });
    expect(summary).toEqual({ accepted: 7, rejected: 7, unexpected: 0 });
    const skipped = lines.filter((l) => l.includes('Windows credential skipped'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain('apt-get install krb5-kdc krb5-admin-server krb5-user');
    expect(lines.join('\n')).not.toContain('(Windows)');
  }, 120_000);
});
