/**
 * `npm run bench`: wsseq beside two independent stacks measured in the same run (Apache WSS4J
 * 1.6 in one warm JVM, the C library xmlsec through python-xmlsec), the RSA-2048 private-op
 * rate beside them, cost per byte up to 100 MiB, peak memory, the other credential types and
 * end to end through the host. See bench/README.md. The machine is shared and noisy: compare
 * ratios and CPU ms per message, never absolute rates across runs.
 *
 * Options: --quick (short run), --seconds N (per measurement), --rounds N (interleaved rounds,
 * best kept), --warmup N (WSS4J JIT warm-up, seconds), --max-size BYTES (largest linearity
 * size), --skip peers,scenarios,large,e2e (comma-separated sections to leave out).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificateCredential } from '../src/credentials/x509.js';
import { createSecurer } from '../src/secure/secure-envelope.js';
import { TEST_P12_PASSWORD, writeTestPki } from '../test/fixtures/pki.js';
import { getTestPki, testOpener } from '../test/helpers.js';
import { moveEncryptedKeysIntoEncryptedData } from '../test/interop/tools.js';
import { runE2e } from './e2e.js';
import type { E2eRow } from './e2e.js';
import { runLargeInChild, runLargeInProcess } from './large.js';
import type { LargeResult } from './large.js';
import { best, measure, rsaBaseline } from './measure.js';
import type { Measurement } from './measure.js';
import { startWss4jPeer, startXmlsecPeer } from './peers.js';
import type { LinePeer, PeerMeasurement } from './peers.js';
import { envelopeOfSize, loadScenarios } from './scenarios.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const KIB = 1024;
const MIB = 1024 * KIB;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : fallback;
}
const quick = process.argv.includes('--quick');
const seconds = option('--seconds', quick ? 0.5 : 2);
const rounds = option('--rounds', quick ? 2 : 4);
const warmup = option('--warmup', quick ? 5 : 30);
const maxSize = option('--max-size', quick ? 10 * MIB : 100 * MIB);
const skipIndex = process.argv.indexOf('--skip');
const skip = new Set(skipIndex >= 0 ? (process.argv[skipIndex + 1] ?? '').split(',') : []);

const PEER_SIZES = [KIB, 100 * KIB, MIB];
const label = (n: number): string => (n >= MIB ? `${n / MIB} MiB` : `${n / KIB} KiB`);
const num = (n: number | undefined, d = 1, w = 8): string =>
  (n === undefined ? '-' : n.toFixed(d)).padStart(w);

type Stack = 'wsseq' | 'WSS4J' | 'xmlsec';
type Op = 'open' | 'secure';
type Figure = Measurement | PeerMeasurement;
interface PeerRow {
  size: number;
  rsaOpsPerSecond: number;
  figures: Partial<Record<`${Stack} ${Op}`, Figure>>;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'wsseq-bench-'));
  await writeTestPki(work);
  const scenarios = await loadScenarios();
  const certificate = scenarios.find((s) => s.name === 'Certificate');
  if (!certificate) throw new Error('no Certificate scenario');
  console.log(
    `wsseq benchmark${quick ? ' (quick)' : ''}: ${seconds} s per measurement, best of ${rounds} interleaved rounds\n`,
  );
  const results: Record<string, unknown> = { node: process.version, quick, seconds, rounds };

  // ---- Peers: the same envelope, the same algorithms, side by side --------------------------
  if (!skip.has('peers')) {
    const keys = { dir: work, p12Password: TEST_P12_PASSWORD };
    const [wss4j, xmlsec] = await Promise.all([startWss4jPeer(keys), startXmlsecPeer(keys)]);
    const peers: Partial<Record<Stack, LinePeer>> = {};
    if (typeof wss4j === 'string') console.log(`WSS4J peer skipped: ${wss4j}`);
    else peers.WSS4J = wss4j;
    if (typeof xmlsec === 'string') console.log(`python-xmlsec peer skipped: ${xmlsec}`);
    else peers.xmlsec = xmlsec;

    const files = (size: number, what: string): string => join(work, `${what}-${size}.xml`);
    for (const size of PEER_SIZES) {
      const envelope = envelopeOfSize(size);
      writeFileSync(files(size, 'envelope'), envelope);
      const wire = certificate.securer.secure(envelope);
      writeFileSync(files(size, 'wsseq'), wire);
      writeFileSync(files(size, 'xmlsec-in'), moveEncryptedKeysIntoEncryptedData(wire));
    }
    results.checks = await checkPeers(peers, files, work);

    if (peers.WSS4J) {
      const t = performance.now();
      await peers.WSS4J.ask(`warm ${warmup * 0.7} ${files(KIB, 'envelope')}`);
      await peers.WSS4J.ask(`warm ${warmup * 0.3} ${files(100 * KIB, 'envelope')}`);
      console.log(`WSS4J warmed up for ${((performance.now() - t) / 1000).toFixed(0)} s`);
      for (const size of PEER_SIZES) {
        await peers.WSS4J.ask(`secure ${files(size, 'envelope')} ${files(size, 'wss4j')}`);
      }
    }

    const rows: PeerRow[] = PEER_SIZES.map((size) => ({
      size,
      rsaOpsPerSecond: 0,
      figures: {},
    }));
    for (let round = 0; round < rounds; round++) {
      process.stdout.write(`round ${round + 1}/${rounds}...`);
      for (const row of rows) {
        const size = row.size;
        const t = size >= MIB ? Math.max(seconds, 2) : seconds;
        const keep = (key: `${Stack} ${Op}`, m: Figure): void => {
          row.figures[key] = best(row.figures[key], m);
        };
        row.rsaOpsPerSecond = Math.max(row.rsaOpsPerSecond, await rsaBaseline(0.5));
        const envelope = envelopeOfSize(size);
        const wire = readFileSync(files(size, 'wsseq'), 'utf8');
        keep('wsseq open', await measure(() => certificate.opener.open(wire), t));
        keep('wsseq secure', await measure(() => certificate.securer.secure(envelope), t));
        if (peers.WSS4J) {
          keep('WSS4J open', await peers.WSS4J.bench('open', files(size, 'wss4j'), t));
          keep('WSS4J secure', await peers.WSS4J.bench('secure', files(size, 'envelope'), t));
        }
        if (peers.xmlsec) {
          keep('xmlsec open', await peers.xmlsec.bench('open', files(size, 'xmlsec-in'), t));
          keep('xmlsec secure', await peers.xmlsec.bench('secure', files(size, 'envelope'), t));
        }
      }
      process.stdout.write(' done\n');
    }
    peers.WSS4J?.close();
    peers.xmlsec?.close();
    printPeerRows(rows);
    results.peers = rows;
  }

  // ---- Other credential types ---------------------------------------------------------------
  if (!skip.has('scenarios') && !quick) {
    console.log('\nper credential type (wsseq only)');
    console.log('scenario        size   secure/s  cpu ms    open/s  cpu ms  p99 ms   open/RSA');
    const rows = [];
    for (const s of scenarios) {
      for (const size of [KIB, 100 * KIB]) {
        const envelope = envelopeOfSize(size);
        const wire = s.securer.secure(envelope);
        const rsa = await rsaBaseline(0.5);
        const sec = await measure(() => s.securer.secure(envelope), seconds);
        const open = await measure(() => s.opener.open(wire), seconds);
        rows.push({ scenario: s.name, size, rsa, secure: sec, open });
        console.log(
          `${s.name.padEnd(12)} ${label(size).padStart(7)} ${num(sec.opsPerSecond)} ${num(sec.cpuMsPerOp, 2)} ${num(open.opsPerSecond)} ${num(open.cpuMsPerOp, 2)} ${num(open.p99Ms, 1, 7)} ${num(open.opsPerSecond / rsa, 2, 10)}`,
        );
      }
    }
    results.scenarios = rows;
  }

  // ---- Linearity and peak memory --------------------------------------------------------------
  if (!skip.has('large')) {
    console.log(
      '\ncost per byte (Certificate, sign+encrypt; 10 MiB and up: child process, warmed up at 256 KiB, best of up to 3 runs)',
    );
    console.log('size       op       message B   cpu ms/msg   cpu ns/B   x 1 MiB   peak mem');
    const sizes = [KIB, 10 * KIB, 100 * KIB, MIB, 10 * MIB, 100 * MIB].filter((s) => s <= maxSize);
    const large: LargeResult[] = [];
    for (const size of sizes) {
      const got =
        size < 10 * MIB
          ? await runLargeInProcess(size, seconds)
          : runLargeInChild(size, work, 16 * 1024);
      large.push(...got);
      for (const r of got) {
        const base = large.find((x) => x.op === r.op && x.bodyBytes === MIB)?.cpuNsPerByte;
        const cells =
          r.failure !== undefined
            ? `  ${r.failure.slice(0, 120)}`
            : `${num(r.messageBytes, 0, 12)} ${num(r.cpuMs, 2, 12)} ${num(r.cpuNsPerByte, 1, 10)} ${num(base && r.cpuNsPerByte ? r.cpuNsPerByte / base : undefined, 2, 9)} ${r.memoryTimesMessage === undefined ? '        -' : `${r.memoryTimesMessage.toFixed(1).padStart(8)}x`}`;
        console.log(`${label(size).padEnd(9)}  ${r.op.padEnd(7)}${cells}`);
      }
    }
    results.large = large;
  }

  // ---- End to end ---------------------------------------------------------------------------
  if (!skip.has('e2e')) {
    console.log('\nend to end (1 KiB orders, service host, concurrency 4)');
    console.log('queue      mode       enqueue/s  handled/s   RSA op/s  handled/RSA');
    let e2e: E2eRow[] = [];
    try {
      e2e = await runE2e(quick ? 100 : 400);
      for (const r of e2e) {
        console.log(
          `${r.queue.padEnd(10)} ${r.mode.padEnd(8)} ${num(r.sendPerSecond, 1, 9)} ${num(r.handledPerSecond, 1, 9)} ${num(r.rsaOpsPerSecond, 0, 9)} ${num(r.handledPerSecond / r.rsaOpsPerSecond, 2, 9)}`,
        );
      }
    } catch (err) {
      console.log(`end-to-end benchmark failed: ${(err as Error).message}`);
    }
    results.e2e = e2e;
  }

  rmSync(work, { recursive: true, force: true });
  const outDir = join(HERE, 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`\nresults: ${file}`);
}

/**
 * Check that each peer really does the work it is timed on: WSS4J verifies and decrypts its
 * own message and one wsseq secured (with a fresh clock, as WSS4J checks the Timestamp);
 * wsseq opens WSS4J's; python-xmlsec opens wsseq's and its own, and refuses a tampered one.
 */
async function checkPeers(
  peers: Partial<Record<Stack, LinePeer>>,
  files: (size: number, what: string) => string,
  work: string,
): Promise<Record<string, string>> {
  const pki = await getTestPki();
  const checks: Record<string, string> = {};
  const attempt = async (name: string, fn: () => Promise<string>): Promise<void> => {
    try {
      checks[name] = await fn();
    } catch (err) {
      checks[name] = `FAILED: ${(err as Error).message.slice(0, 300)}`;
    }
  };
  const fresh = createSecurer({
    credential: certificateCredential(pki.client),
    serviceCertificate: pki.service.certificate,
  });
  const freshOpener = testOpener(pki, {}, { now: () => new Date() });
  const envelope = files(KIB, 'envelope');
  const item = 'item-3-';
  const { WSS4J: wss4j, xmlsec } = peers;
  if (wss4j) {
    const own = join(work, 'check-wss4j.xml');
    const body = join(work, 'check-body.xml');
    await attempt('WSS4J opens its own message', async () => {
      await wss4j.ask(`secure ${envelope} ${own}`);
      const r = await wss4j.ask(`open ${own} ${body}`);
      if (!readFileSync(body, 'utf8').includes(item)) throw new Error('Body not decrypted');
      return r;
    });
    await attempt('WSS4J opens a wsseq message', async () => {
      const w = join(work, 'check-wsseq.xml');
      writeFileSync(w, fresh.secure(readFileSync(envelope, 'utf8')));
      const r = await wss4j.ask(`open ${w} ${body}`);
      if (!readFileSync(body, 'utf8').includes(item)) throw new Error('Body not decrypted');
      return r;
    });
    await attempt('WSS4J refuses a tampered message', async () => {
      const w = join(work, 'check-tampered.xml');
      const text = readFileSync(own, 'utf8').replace(
        /(<wsu:Created>)(\d)/,
        (_m, a: string, d: string) => `${a}${String((Number(d) + 1) % 10)}`,
      );
      writeFileSync(w, text);
      try {
        await wss4j.ask(`open ${w} ${body}`);
      } catch {
        return 'ok (refused)';
      }
      throw new Error('accepted a tampered Timestamp');
    });
    await attempt('wsseq opens a WSS4J message', async () => {
      const r = await freshOpener.open(readFileSync(own, 'utf8'));
      if (!r.body.includes(item)) throw new Error('Body not returned');
      return 'ok';
    });
  }
  if (xmlsec) {
    await attempt('python-xmlsec opens a wsseq message', () =>
      xmlsec.ask(`open ${files(KIB, 'xmlsec-in')}`),
    );
    await attempt('python-xmlsec opens its own message', async () => {
      const own = join(work, 'check-xmlsec.xml');
      await xmlsec.ask(`secure ${envelope} ${own}`);
      return xmlsec.ask(`open ${own}`);
    });
  }
  for (const [name, outcome] of Object.entries(checks)) console.log(`check: ${name}: ${outcome}`);
  return checks;
}

function printPeerRows(rows: PeerRow[]): void {
  const f = (row: PeerRow, key: `${Stack} ${Op}`): string => {
    const m = row.figures[key];
    return m
      ? `${num(m.opsPerSecond, 1, 8)} ${num(m.cpuMsPerOp, 2, 8)}`
      : `${'-'.padStart(8)} ${'-'.padStart(8)}`;
  };
  console.log(
    '\nmessages/s and CPU ms per message (best of the rounds; Certificate, sign+encrypt)',
  );
  const heads = ['wsseq open', 'WSS4J open', 'xmlsec open', 'wsseq secure', 'WSS4J secure'];
  console.log(
    `size    ${[...heads, 'xmlsec secure'].map((h) => `${h.padStart(13)} cpu`).join(' ')}   RSA op/s`,
  );
  for (const row of rows) {
    const keys = [
      'wsseq open',
      'WSS4J open',
      'xmlsec open',
      'wsseq secure',
      'WSS4J secure',
      'xmlsec secure',
    ] as const;
    console.log(
      `${label(row.size).padEnd(8)} ${keys.map((k) => f(row, k)).join(' ')} ${num(row.rsaOpsPerSecond, 0, 10)}`,
    );
  }
  const ratio = (row: PeerRow, a: `${Stack} ${Op}`, b: `${Stack} ${Op}`): string => {
    const x = row.figures[a];
    const y = row.figures[b];
    if (!x || !y) return '        -        -';
    return `${num(x.opsPerSecond / y.opsPerSecond, 2, 8)} ${num(y.cpuMsPerOp / x.cpuMsPerOp, 2, 8)}`;
  };
  console.log('\nratios (by messages/s, then by CPU ms per message; above 1 means wsseq is ahead)');
  console.log(
    'size      open/WSS4J      open/xmlsec    secure/WSS4J   secure/xmlsec   open/RSA-op',
  );
  for (const row of rows) {
    const open = row.figures['wsseq open'];
    console.log(
      `${label(row.size).padEnd(8)} ${ratio(row, 'wsseq open', 'WSS4J open')} ${ratio(row, 'wsseq open', 'xmlsec open')} ${ratio(row, 'wsseq secure', 'WSS4J secure')} ${ratio(row, 'wsseq secure', 'xmlsec secure')} ${num(open ? open.opsPerSecond / row.rsaOpsPerSecond : undefined, 2, 10)}`,
    );
  }
  console.log(
    'targets: open and secure >= 2x WSS4J and >= 1x xmlsec at every size; open at 1 KiB >= 0.6x the RSA op rate.',
  );
}

await main();
