/**
 * `npm run bench`: throughput and latency of secure and open per credential type and Body
 * size, peak memory for large messages, python-xmlsec as a peer, all as ratios to Node's raw
 * RSA-2048 private-key rate measured beside each figure in the same run (the machine is
 * shared and noisy: only ratios compare). Prints a table; writes bench/results/<time>.json.
 *
 * Options: --quick (fewer sizes, shorter runs), --seconds N (per measurement).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTestPki } from '../test/fixtures/pki.js';
import { moveEncryptedKeysIntoEncryptedData } from '../test/interop/tools.js';
import { runE2e } from './e2e.js';
import type { E2eRow } from './e2e.js';
import { measure, rsaBaseline } from './measure.js';
import type { Measurement } from './measure.js';
import { envelopeOfSize, loadScenarios } from './scenarios.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const secondsArg = args.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : quick ? 0.5 : 2;
const KIB = 1024;
const sizes = quick
  ? [KIB, 100 * KIB, 1024 * KIB]
  : [KIB, 10 * KIB, 100 * KIB, 1024 * KIB, 10 * 1024 * KIB];

interface Row {
  scenario: string;
  size: number;
  messageBytes: number;
  rsaOpsPerSecond: number;
  secure: Measurement;
  open: Measurement;
  openVsRsa: number;
  peer?: Measurement & { openVsPeer: number };
  memory?: { peakOverBaseBytes: number; timesMessage: number };
}

const label = (n: number): string => (n >= 1024 * KIB ? `${n / 1024 / KIB} MiB` : `${n / KIB} KiB`);
const fmt = (n: number, d = 1): string => n.toFixed(d).padStart(9);

async function main(): Promise<void> {
  const scenarios = await loadScenarios();
  const keys = mkdtempSync(join(tmpdir(), 'wsseq-bench-'));
  await writeTestPki(keys);
  const rows: Row[] = [];
  console.log(`wsseq benchmark${quick ? ' (quick)' : ''}: ${seconds} s per measurement\n`);
  console.log(
    'scenario      size      secure/s    open/s   open p50  open p99   RSA op/s  open/RSA  peer/s  open/peer  peak mem',
  );
  for (const scenario of scenarios) {
    for (const size of sizes) {
      const envelope = envelopeOfSize(size);
      const wire = scenario.securer.secure(envelope);
      const slow = size >= 1024 * KIB;
      const t = slow ? Math.max(seconds, 2) : seconds;
      const before = await rsaBaseline(0.5);
      const secure = await measure(() => scenario.securer.secure(envelope), t);
      const open = await measure(() => scenario.opener.open(wire), t);
      const after = await rsaBaseline(0.5);
      const rsa = (before + after) / 2;
      const row: Row = {
        scenario: scenario.name,
        size,
        messageBytes: Buffer.byteLength(wire),
        rsaOpsPerSecond: rsa,
        secure,
        open,
        openVsRsa: open.opsPerSecond / rsa,
      };
      if (scenario.name === 'Certificate' && size <= 1024 * KIB) {
        const file = join(keys, `peer-${size}.xml`);
        // xmlsec needs the EncryptedKey inside the EncryptedData; it checks Body and Timestamp.
        const peerWire = scenario.securer.secure(envelope);
        writeFileSync(file, moveEncryptedKeysIntoEncryptedData(peerWire));
        const out = execFileSync('/usr/bin/python3', [
          join(HERE, 'peers', 'python_xmlsec.py'),
          file,
          join(keys, 'service.key'),
          join(keys, 'client.pem'),
          String(t),
        ]).toString();
        const peer = JSON.parse(out) as Measurement;
        row.peer = { ...peer, openVsPeer: open.opsPerSecond / peer.opsPerSecond };
      }
      if (slow) {
        const out = execFileSync(process.execPath, [
          '--expose-gc',
          '--import',
          'tsx',
          join(HERE, 'memory.ts'),
          scenario.name,
          String(size),
        ]).toString();
        const m = JSON.parse(out) as { peakOverBaseBytes: number; messageBytes: number };
        row.memory = {
          peakOverBaseBytes: m.peakOverBaseBytes,
          timesMessage: m.peakOverBaseBytes / m.messageBytes,
        };
      }
      rows.push(row);
      console.log(
        `${scenario.name.padEnd(12)} ${label(size).padStart(7)} ${fmt(secure.opsPerSecond)} ${fmt(open.opsPerSecond)} ${fmt(open.p50Ms, 2)}ms ${fmt(open.p99Ms, 2)}ms ${fmt(rsa, 0)} ${fmt(row.openVsRsa, 2)} ${row.peer ? fmt(row.peer.opsPerSecond) : '        -'} ${row.peer ? fmt(row.peer.openVsPeer, 2) : '        -'}  ${row.memory ? `${row.memory.timesMessage.toFixed(1)}x` : '-'}`,
      );
    }
  }
  console.log('\nend to end (1 KiB orders, service host, concurrency 4)');
  console.log('queue      mode       enqueue/s  handled/s   RSA op/s  handled/RSA');
  let e2e: E2eRow[] = [];
  try {
    e2e = await runE2e(quick ? 100 : 400);
    for (const r of e2e) {
      console.log(
        `${r.queue.padEnd(10)} ${r.mode.padEnd(8)} ${fmt(r.sendPerSecond)} ${fmt(r.handledPerSecond)} ${fmt(r.rsaOpsPerSecond, 0)} ${fmt(r.handledPerSecond / r.rsaOpsPerSecond, 2)}`,
      );
    }
  } catch (err) {
    console.log(`end-to-end benchmark failed: ${(err as Error).message}`);
  }
  const outDir = join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({ node: process.version, seconds, quick, rows, e2e }, null, 2),
  );
  console.log(
    `\nopen/RSA: open rate over the raw RSA-2048 private-op rate measured beside it (target >= 0.6 at 1 KiB).`,
  );
  console.log(
    `open/peer: wsseq open over python-xmlsec decrypt+verify of the same message (target > 1).`,
  );
  console.log(
    `peak mem: peak RSS growth of one secure+open over the message size (target < 8x at 10 MiB).`,
  );
  console.log(`results: ${file}`);
}

await main();
