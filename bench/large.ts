/**
 * Large messages: cost per byte from 1 KiB to 100 MiB (linearity) and the peak memory of one
 * secure and one open at 10 MiB and 100 MiB. Sizes from 10 MiB up run in a child process each
 * (`memory.ts`), so that a refusal, an exhausted heap or a crash is reported as such and the
 * benchmark goes on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessageLimits } from '../src/policy/policy.js';
import { measure } from './measure.js';
import type { Measurement } from './measure.js';
import { envelopeOfSize, loadScenarios } from './scenarios.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const MIB = 1024 * 1024;

/** Receiver limits raised (public policy options) so that a 100 MiB message is allowed. */
export const largeLimits: Partial<MessageLimits> = {
  maxBytes: 256 * MIB,
  maxElements: 4_000_000,
};

/** One operation at one size: time per message and per byte, or why it did not run. */
export interface LargeResult {
  readonly op: 'secure' | 'open';
  readonly bodyBytes: number;
  readonly messageBytes?: number;
  readonly cpuMs?: number;
  readonly wallMs?: number;
  /** CPU nanoseconds per byte of the message (secure: of its input). */
  readonly cpuNsPerByte?: number;
  /** Peak RSS growth over the message size (child-process runs only). */
  readonly memoryTimesMessage?: number;
  readonly failure?: string;
}

interface ChildReport {
  messageBytes?: number;
  growthBytes?: number;
  wallMs?: number;
  cpuMs?: number;
  error?: string;
  code?: string;
}

function runChild(args: string[], heapMiB: number): ChildReport {
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMiB}`,
      '--expose-gc',
      '--import',
      'tsx',
      join(HERE, 'memory.ts'),
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status === 0 && line.startsWith('{')) return JSON.parse(line) as ChildReport;
  const why = r.signal ? `killed by ${r.signal}` : `exit ${r.status ?? '?'}`;
  const heap = /heap out of memory|Allocation failed/i.test(r.stderr) ? ' (heap exhausted)' : '';
  return { error: `crashed: ${why}${heap}` };
}

function fromChild(op: 'secure' | 'open', bodyBytes: number, r: ChildReport): LargeResult {
  if (r.error !== undefined || r.messageBytes === undefined) {
    return { op, bodyBytes, failure: `${r.code ? `${r.code}: ` : ''}${r.error ?? 'no report'}` };
  }
  return {
    op,
    bodyBytes,
    messageBytes: r.messageBytes,
    ...(r.cpuMs !== undefined
      ? { cpuMs: r.cpuMs, cpuNsPerByte: (r.cpuMs * 1e6) / r.messageBytes }
      : {}),
    ...(r.wallMs !== undefined ? { wallMs: r.wallMs } : {}),
    ...(r.growthBytes !== undefined ? { memoryTimesMessage: r.growthBytes / r.messageBytes } : {}),
  };
}

/**
 * Secure and open one message of `bodyBytes` in child processes (secure writes the wire that
 * open then reads). `heapMiB` bounds the child's V8 heap.
 */
export function runLargeInChild(bodyBytes: number, dir: string, heapMiB: number): LargeResult[] {
  const wire = join(dir, `large-${bodyBytes}.xml`);
  const input = join(dir, `large-${bodyBytes}-input.xml`);
  writeFileSync(input, envelopeOfSize(bodyBytes));
  const secure = fromChild('secure', bodyBytes, runChild(['secure', input, wire], heapMiB));
  rmSync(input, { force: true });
  const open = existsSync(wire)
    ? fromChild('open', bodyBytes, runChild(['open', wire], heapMiB))
    : { op: 'open' as const, bodyBytes, failure: 'not measured: no message (secure failed)' };
  rmSync(wire, { force: true });
  return [secure, open];
}

/** Secure and open in this process, timed over `seconds` each (small sizes). */
export async function runLargeInProcess(
  bodyBytes: number,
  seconds: number,
): Promise<LargeResult[]> {
  const scenario = (await loadScenarios(largeLimits)).find((s) => s.name === 'Certificate');
  if (!scenario) throw new Error('no Certificate scenario');
  const envelope = envelopeOfSize(bodyBytes);
  const wire = scenario.securer.secure(envelope);
  const s = await measure(() => scenario.securer.secure(envelope), seconds);
  const o = await measure(() => scenario.opener.open(wire), seconds);
  const row = (op: 'secure' | 'open', text: string, m: Measurement): LargeResult => {
    const messageBytes = Buffer.byteLength(text);
    const cpuMs = m.cpuMsPerOp;
    return {
      op,
      bodyBytes,
      messageBytes,
      cpuMs,
      wallMs: 1000 / m.opsPerSecond,
      cpuNsPerByte: (cpuMs * 1e6) / messageBytes,
    };
  };
  return [row('secure', envelope, s), row('open', wire, o)];
}
