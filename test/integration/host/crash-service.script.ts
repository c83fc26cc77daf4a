/**
 * A service host in its own process, for the crash test: opens the SQLite queue and replay
 * cache named in the environment and prints one JSON line per event. With WSSEQ_HANG=1 the
 * handler never returns (the parent kills the process mid-handling); with
 * WSSEQ_CRASH_BEFORE_ACK=1 the process kills itself (SIGKILL) when the service acknowledges a
 * message, after the replay cache's commit. Otherwise it exits after WSSEQ_EXIT_COUNT
 * (default 1) events of the types in WSSEQ_EXIT_ON (default `accepted`).
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createService } from '../../../src/host/create-service.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import { openSqliteReplayCache } from '../../../src/replay/sqlite.js';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { Certificate } from '../../../src/trust/certificate.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { TEST_NOW } from '../../fixtures/pki.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const pkiDir = env('WSSEQ_PKI_DIR');
const hang = process.env.WSSEQ_HANG === '1';
const anchor = Number(env('WSSEQ_CLOCK_ANCHOR'));
// One clock for every process of the test: TEST_NOW plus the real time since the anchor.
const now = (): Date => new Date(TEST_NOW.getTime() + (Date.now() - anchor));
const cert = (name: string) =>
  Certificate.fromPem(readFileSync(join(pkiDir, `${name}.pem`), 'utf8'));
const print = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const exitOn = new Set((process.env.WSSEQ_EXIT_ON ?? 'accepted').split(','));
let exitCountdown = Number(process.env.WSSEQ_EXIT_COUNT ?? '1');
const sqliteQueue = openSqliteQueue({
  file: env('WSSEQ_QUEUE_DB'),
  name: env('WSSEQ_QUEUE_NAME'),
  leaseMs: 1000,
});
const crashBeforeAck = process.env.WSSEQ_CRASH_BEFORE_ACK === '1';
const queue: QueueAdapter = crashBeforeAck
  ? {
      ...sqliteQueue,
      receive: async (options) => {
        const delivery = await sqliteQueue.receive(options);
        if (delivery === undefined) return undefined;
        return {
          ...delivery,
          ack: () => {
            print({ event: 'crashing', id: delivery.id });
            process.kill(process.pid, 'SIGKILL');
            return new Promise<void>(() => undefined);
          },
        };
      },
    }
  : sqliteQueue;
const replayCache = openSqliteReplayCache({ path: env('WSSEQ_REPLAY_DB'), leaseMs: 500, now });
const service = createService({
  queue,
  mode: 'Message',
  opener: createOpener({
    serviceKeys: [
      {
        certificate: cert('service'),
        privateKey: createPrivateKey(readFileSync(join(pkiDir, 'service.key'), 'utf8')),
      },
    ],
    trust: new TrustStore({ trustedRoots: [cert('root')], intermediates: [cert('intermediate')] }),
    replayCache,
    now,
  }),
  receiveWaitMs: 50,
  retryDelayMs: 200,
  maxRetries: 10,
  handler: async ({ message, context }) => {
    print({
      event: 'handling',
      id: message.id,
      deliveryCount: message.deliveryCount,
      identity: context.identity?.name,
    });
    if (hang) await new Promise(() => undefined);
  },
  onEvent: (e) => {
    const { type } = e;
    const messageId = 'messageId' in e ? e.messageId : undefined;
    print({
      event: type,
      id: messageId,
      ...('deliveryCount' in e ? { deliveryCount: e.deliveryCount } : {}),
      ...('code' in e ? { code: e.code } : {}),
      ...('reason' in e ? { reason: e.reason } : {}),
    });
    if (exitOn.has(type) && !hang && --exitCountdown === 0) {
      void service.stop().then(async () => {
        await queue.close();
        replayCache.close();
        process.exit(0);
      });
    }
  },
});
service.start();
print({ event: 'started' });
