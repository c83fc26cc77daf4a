/** Time-bounded measurement with CPU time and latency percentiles, and the RSA baseline. */
import { generateKeyPairSync, sign } from 'node:crypto';

export interface Measurement {
  readonly ops: number;
  readonly opsPerSecond: number;
  /** Process CPU time (user + system, all threads) per operation, in ms. */
  readonly cpuMsPerOp: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Run `fn` for about `seconds` (at least `minOps` times). */
export async function measure(
  fn: () => unknown,
  seconds: number,
  minOps = 3,
): Promise<Measurement> {
  await fn(); // warm up
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end || times.length < minOps) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  const total = times.reduce((a, b) => a + b, 0);
  const at = (q: number): number =>
    times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? 0;
  return {
    ops: times.length,
    opsPerSecond: (times.length * 1000) / total,
    cpuMsPerOp: (cpu.user + cpu.system) / 1000 / times.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

/** The better of two measurements of the same thing (interleaved rounds keep the best). */
export function best<T extends { opsPerSecond: number; cpuMsPerOp: number }>(
  a: T | undefined,
  b: T,
): T {
  if (!a) return b;
  return {
    ...(a.opsPerSecond >= b.opsPerSecond ? a : b),
    cpuMsPerOp: Math.min(a.cpuMsPerOp, b.cpuMsPerOp),
  };
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const digestInput = Buffer.alloc(64, 1);

/** Node's raw RSA-2048 private-key operation rate (one signature): the cost floor of a message. */
export async function rsaBaseline(seconds: number): Promise<number> {
  return (await measure(() => sign('sha256', digestInput, rsa.privateKey), seconds, 20))
    .opsPerSecond;
}
