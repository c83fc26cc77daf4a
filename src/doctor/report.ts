/** The doctor's findings as a readable report. */
import type { CertificateFinding } from './findings.js';
import { isCertificateUsable } from './findings.js';

function mark(f: CertificateFinding): string {
  if (!f.ok) return 'FAIL';
  if (f.severity === 'warning') return 'WARN';
  if (f.severity === 'info') return 'INFO';
  return ' OK ';
}

/**
 * One line per finding (`[FAIL] extended-key-usage (CertificateNotValidForPurpose): ...`) and
 * a verdict line, for a terminal.
 */
export function formatFindings(
  findings: readonly CertificateFinding[],
  purpose: 'client' | 'service',
): string {
  const lines = findings.map(
    (f) => `[${mark(f)}] ${f.check}${f.code === undefined ? '' : ` (${f.code})`}: ${f.message}`,
  );
  const failed = findings.filter((f) => !f.ok);
  const verdict = isCertificateUsable(findings)
    ? `Verdict: usable as a ${purpose} certificate.`
    : `Verdict: NOT usable as a ${purpose} certificate (${failed.length} problem${failed.length === 1 ? '' : 's'}: ${[...new Set(failed.map((f) => f.check))].join(', ')}).`;
  return `${lines.join('\n')}\n\n${verdict}\n`;
}
