/**
 * End-to-end throughput through the service host: N orders secured and enqueued by a client,
 * then received, verified, opened and handled by a service (concurrency 4), on the embedded
 * SQLite queue and on RabbitMQ, in Message and Both modes. Reported beside the RSA baseline.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateCredential } from '../src/credentials/x509.js';
import { createClient } from '../src/host/create-client.js';
import { createService } from '../src/host/create-service.js';
import type { SecurityMode } from '../src/transport/modes.js';
import { openRabbitQueue } from '../src/transport/queue/rabbitmq-queue.js';
import { openSqliteQueue } from '../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../src/transport/queue/types.js';
import { TrustStore } from '../src/trust/validate.js';
import { TEST_NOW, getTestPki } from '../test/helpers.js';
import { rsaBaseline } from './measure.js';
import { envelopeOfSize } from './scenarios.js';

export interface E2eRow {
  readonly queue: string;
  readonly mode: SecurityMode;
  readonly messages: number;
  readonly sendPerSecond: number;
  readonly handledPerSecond: number;
  readonly rsaOpsPerSecond: number;
}

async function runOne(
  queue: QueueAdapter,
  mode: SecurityMode,
  messages: number,
): Promise<Omit<E2eRow, 'queue' | 'rsaOpsPerSecond'>> {
  const pki = await getTestPki();
  const trust = new TrustStore({
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
  });
  const client = createClient({
    queue,
    mode,
    secure: {
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
      now: () => TEST_NOW,
    },
    ...(mode === 'Both' ? { transportCredential: pki.client } : {}),
    now: () => TEST_NOW,
  });
  const envelope = envelopeOfSize(1024);
  let t = performance.now();
  for (let i = 0; i < messages; i++) await client.send(envelope);
  const sendSeconds = (performance.now() - t) / 1000;
  let handled = 0;
  let failed = 0;
  const done = new Promise<void>((resolve) => {
    const service = createService({
      queue,
      mode,
      open: { serviceKeys: [pki.service], trust, now: () => TEST_NOW },
      ...(mode === 'Both' ? { transportTrust: trust } : {}),
      now: () => TEST_NOW,
      receiveWaitMs: 20,
      handler: () => undefined,
      onEvent: (e) => {
        if (e.type === 'accepted') handled++;
        else if (e.type === 'rejected' || e.type === 'poisoned') failed++;
        if (handled + failed === messages) void service.stop().then(resolve);
      },
    });
    t = performance.now();
    service.start();
  });
  await done;
  const handleSeconds = (performance.now() - t) / 1000;
  if (failed > 0) throw new Error(`${failed} messages were rejected in the benchmark`);
  return {
    mode,
    messages,
    sendPerSecond: messages / sendSeconds,
    handledPerSecond: messages / handleSeconds,
  };
}

/** Run the end-to-end benchmark; `messages` per queue and mode. */
export async function runE2e(messages: number): Promise<E2eRow[]> {
  const rows: E2eRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-e2e-'));
  for (const mode of ['Message', 'Both'] as const) {
    const sqlite = openSqliteQueue({ file: join(dir, 'queue.db'), name: `bench.${mode}` });
    const before = await rsaBaseline(0.5);
    const r = await runOne(sqlite, mode, messages);
    const after = await rsaBaseline(0.5);
    await sqlite.close();
    rows.push({ queue: 'SQLite', ...r, rsaOpsPerSecond: (before + after) / 2 });
    const name = `wsseq-bench-${mode}-${Date.now()}`;
    const rabbit = await openRabbitQueue({ name });
    const before2 = await rsaBaseline(0.5);
    const r2 = await runOne(rabbit, mode, messages);
    const after2 = await rsaBaseline(0.5);
    await rabbit.close();
    rows.push({ queue: 'RabbitMQ', ...r2, rsaOpsPerSecond: (before2 + after2) / 2 });
  }
  return rows;
}
