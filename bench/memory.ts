/**
 * Peak memory of one secure or one open, in a process of its own so that nothing else
 * inflates the peak. argv: `secure <bodyBytes | envelope-file> [<wire-file to write>]` or
 * `open <wire-file>`.
 *
 * The input is made (or read) first, then garbage is collected, the kernel's peak-RSS mark is
 * reset (`/proc/self/clear_refs` 5, Linux) and the resident size taken; the operation runs;
 * the growth is the new peak (VmHWM) minus that resident size. Where clear_refs is not
 * available the peak is process.resourceUsage().maxRSS, which may include the input's making.
 * Also reports the operation's wall and CPU time. Before it, the same operation runs on a
 * 256 KiB message until it has taken about a second (at least 8 times), so the figure is the
 * warm cost per byte (comparable with the in-process sizes), not JIT compilation; its garbage is
 * collected before the peak mark is reset. The operation then runs up to three times: the peak
 * is the first run's, the time the best run's.
 * Prints one JSON line: { op, messageBytes, growthBytes, exact, wallMs, cpuMs } or
 * { op, error, code }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { largeLimits } from './large.js';
import { envelopeOfSize, loadScenarios } from './scenarios.js';

const [op = 'secure', a = '1048576', out] = process.argv.slice(2);
const scenario = (await loadScenarios(largeLimits)).find((s) => s.name === 'Certificate');
if (!scenario) throw new Error('no Certificate scenario');

/** Run the operation on a small message until the JIT has settled (see the header). */
async function warmUp(): Promise<void> {
  if (!scenario) return;
  const small = envelopeOfSize(256 * 1024);
  const wire = scenario.securer.secure(small);
  const until = performance.now() + 1000;
  for (let i = 0; i < 8 || performance.now() < until; i++) {
    if (op === 'open') await scenario.opener.open(wire);
    else scenario.securer.secure(small);
  }
}

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
await warmUp();
// Read from a file (the parent writes the envelope to secure there too): making a large
// envelope here would leave freed but resident pages that the operation then reuses unseen.
const input = /^[0-9]+$/.test(a) ? envelopeOfSize(Number(a)) : readFileSync(a, 'utf8');
gc?.();
const exact = resetPeak();
const before = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
try {
  const run = async (): Promise<unknown> =>
    op === 'open' ? await scenario.opener.open(input) : scenario.securer.secure(input);
  let wire = await run();
  let wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  let cpuMs = (cpu.user + cpu.system) / 1000;
  const growthBytes = Math.max(0, peakBytes() - before);
  if (out !== undefined && typeof wire === 'string') writeFileSync(out, wire);
  // The first run also pays for the kernel handing the process fresh pages; the cost per
  // byte is the best of up to three runs (within about 20 s), the memory that of the first.
  const deadline = performance.now() + 20_000;
  for (let i = 1; i < 3 && performance.now() + wallMs < deadline; i++) {
    wire = undefined;
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    wire = await run();
    const c = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1000);
    wallMs = Math.min(wallMs, performance.now() - w0);
  }
  console.log(
    JSON.stringify({
      op,
      messageBytes: Buffer.byteLength(input),
      growthBytes,
      exact,
      wallMs,
      cpuMs,
    }),
  );
} catch (err) {
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  const why = cause instanceof Error ? ` (${cause.message})` : '';
  const kind = code === undefined ? (err as Error).name : code;
  console.log(JSON.stringify({ op, error: `${(err as Error).message}${why}`, code: kind }));
}
