/**
 * Peak memory of one secure or one open, in a process of its own so that nothing else
 * inflates the peak. argv: `secure <bodyBytes> [<wire-file to write>]` or `open <wire-file>`.
 *
 * The input is made (or read) first, then garbage is collected, the kernel's peak-RSS mark is
 * reset (`/proc/self/clear_refs` 5, Linux) and the resident size taken; the operation runs;
 * the growth is the new peak (VmHWM) minus that resident size. Where clear_refs is not
 * available the peak is process.resourceUsage().maxRSS, which may include the input's making.
 * Also reports the operation's wall and CPU time (one cold run: a first call includes some
 * JIT compilation, negligible at 10 MiB and above).
 * Prints one JSON line: { op, messageBytes, growthBytes, exact, wallMs, cpuMs } or
 * { op, error, code }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { largeLimits } from './large.js';
import { envelopeOfSize, loadScenarios } from './scenarios.js';

const [op = 'secure', a = '1048576', out] = process.argv.slice(2);
const scenario = (await loadScenarios(largeLimits)).find((s) => s.name === 'Certificate');
if (!scenario) throw new Error('no Certificate scenario');

function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

const gc = (globalThis as { gc?: () => void }).gc;
const input = op === 'open' ? readFileSync(a, 'utf8') : envelopeOfSize(Number(a));
gc?.();
const exact = resetPeak();
const before = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  const wire = op === 'open' ? await scenario.opener.open(input) : scenario.securer.secure(input);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const growthBytes = Math.max(0, peakBytes() - before);
  if (out !== undefined && typeof wire === 'string') writeFileSync(out, wire);
  console.log(
    JSON.stringify({
      op,
      messageBytes: Buffer.byteLength(input),
      growthBytes,
      exact,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
    }),
  );
} catch (err) {
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  const why = cause instanceof Error ? ` (${cause.message})` : '';
  const kind = code === undefined ? (err as Error).name : code;
  console.log(JSON.stringify({ op, error: `${(err as Error).message}${why}`, code: kind }));
}
