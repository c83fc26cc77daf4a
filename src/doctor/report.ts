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
 * a verdict line, for a terminal. Without `trustChecked` (no trusted roots were given) a
 * certificate without problems is not called usable: whether the other side trusts it is
 * unknown.
 */
export function formatFindings(
  findings: readonly CertificateFinding[],
  purpose: 'client' | 'service',
  trustChecked = true,
): string {
  const lines = findings.map(
    (f) => `[${mark(f)}] ${f.check}${f.code === undefined ? '' : ` (${f.code})`}: ${f.message}`,
  );
  const failed = findings.filter((f) => !f.ok);
  const verdict = isCertificateUsable(findings)
    ? trustChecked
      ? `Verdict: usable as a ${purpose} certificate.`
      : `Verdict: no problem found for a ${purpose} certificate, but trust was not checked (give --trust with the roots the other side trusts).`
    : `Verdict: NOT usable as a ${purpose} certificate (${failed.length} problem${failed.length === 1 ? '' : 's'}: ${[...new Set(failed.map((f) => f.check))].join(', ')}).`;
  return `${lines.join('\n')}\n\n${verdict}\n`;
}
