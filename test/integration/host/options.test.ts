/**
 * `createService` and `createClient` refuse misuse at construction with a TypeError that
 * names the option (issue 9 items 2 and 11), instead of failing on every message later; the
 * honest configuration beside each is accepted. The defaults are consistent: the replay
 * cache's lease is shorter than the embedded queue's redelivery lease.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/host/create-client.js';
import { createService } from '../../../src/host/create-service.js';
import type { ServiceOptions } from '../../../src/host/create-service.js';
import { createMemoryReplayCache } from '../../../src/replay/memory.js';
import { openSqliteReplayCache } from '../../../src/replay/sqlite.js';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { getTestPki, testOpener } from '../../helpers.js';
import type { TestPki } from '../../helpers.js';

let dir = '';
let pki: TestPki;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsseq-host-options-'));
  pki = await getTestPki();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Expect a TypeError whose message names `option`. */
function refused(make: () => unknown, option: string): void {
  let thrown: unknown;
  try {
    make();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect((thrown as Error).message).toContain(option);
}

const plain = (queue: QueueAdapter = createMemoryQueue('opts')): ServiceOptions => ({
  queue,
  mode: 'None',
  handler: () => undefined,
});

/** Options given as a JavaScript caller might: unchecked by the compiler. */
const loose = (extra: Record<string, unknown>): ServiceOptions => ({ ...plain(), ...extra });

describe('createService: misuse is a TypeError at construction', () => {
  it('accepts the honest minimum', () => {
    expect(createService(plain()).running).toBe(false);
  });

  it.each([
    ['handler', { handler: undefined }],
    ['handler', { handler: 'log' }],
    ['now', { now: new Date() }],
    ['onEvent', { onEvent: {} }],
    ['authorize', { authorize: true }],
    ['errorMode', { errorMode: 'move' }],
    ['errorMode', { errorMode: 'Poison' }],
    ['concurrency', { concurrency: 0 }],
    ['maxRetries', { maxRetries: -1 }],
    ['retryDelayMs', { retryDelayMs: -1000 }],
    ['retryDelayMs', { retryDelayMs: 1.5 }],
    ['receiveWaitMs', { receiveWaitMs: Number.NaN }],
    ['stopTimeoutMs', { stopTimeoutMs: -1 }],
    ['stopTimeoutMs', { stopTimeoutMs: '30000' }],
    ['maxClockSkewSeconds', { maxClockSkewSeconds: -5 }],
    ['queue', { queue: {} }],
    ['queue', { queue: undefined }],
    ['rejectQueue', { rejectQueue: {} }],
  ])('refuses a bad %s (%j)', (option, extra) => {
    refused(() => createService(loose(extra)), option);
  });

  it('refuses a replay cache that is not one ({}), in open options or in an opener', () => {
    const base = { ...plain(), mode: 'Message' as const };
    refused(
      () =>
        createService({
          ...base,
          open: { serviceKeys: [pki.service], replayCache: {} },
        } as unknown as ServiceOptions),
      'replayCache',
    );
    refused(
      () =>
        createService({
          ...base,
          opener: { ...testOpener(pki), replayCache: {} },
        } as unknown as ServiceOptions),
      'replayCache',
    );
    refused(() => createService(loose({ mode: 'Message', opener: {} })), 'opener');
    expect(
      createService({
        ...base,
        opener: testOpener(pki, {}, { replayCache: createMemoryReplayCache() }),
      }).running,
    ).toBe(false);
  });

  it('refuses a replay lease not shorter than the queue lease; the defaults are consistent', () => {
    const queue = openSqliteQueue({ file: join(dir, 'q.db'), name: 'lease' });
    const replay = openSqliteReplayCache({ path: join(dir, 'r.db') });
    try {
      const service = (replayCache: ReturnType<typeof createMemoryReplayCache>) =>
        createService({
          queue,
          mode: 'Message',
          opener: testOpener(pki, {}, { replayCache }),
          handler: () => undefined,
        });
      // Defaults: SQLite queue 30 s, replay caches 20 s.
      expect(queue.leaseMs).toBeGreaterThan(replay.leaseMs ?? Infinity);
      expect(service(replay).running).toBe(false);
      expect(service(createMemoryReplayCache()).running).toBe(false);
      refused(() => service(createMemoryReplayCache({ leaseMs: 60_000 })), 'leaseMs');
      refused(() => service(createMemoryReplayCache({ leaseMs: 30_000 })), 'leaseMs');
    } finally {
      replay.close();
      void queue.close();
    }
  });
});

describe('createClient: misuse is a TypeError at construction', () => {
  const queue = createMemoryQueue('client-opts');
  it('accepts the honest minimum', () => {
    expect(createClient({ queue, mode: 'None' }).mode).toBe('None');
  });

  it.each([
    ['queue', { queue: {} }],
    ['queue', { queue: { name: 'x' } }],
    ['now', { now: 'yesterday' }],
    ['securer', { mode: 'Message', securer: {} }],
    ['secure', { mode: 'Message', secure: 'alice' }],
  ])('refuses a bad %s (%j)', (option, extra) => {
    refused(
      () =>
        createClient({ queue, mode: 'None', ...extra } as unknown as Parameters<
          typeof createClient
        >[0]),
      option,
    );
  });
});
