/**
 * `wsseq queues` over demo-like queues on the embedded SQLite queue and on RabbitMQ (unique
 * queue names on the shared broker): list, peek with the verdict re-run, retry (confirmed,
 * audited, then handled), move, delete, purge.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { openRabbitQueue } from '../../src/transport/queue/rabbitmq-queue.js';
import { openSqliteQueue } from '../../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../../src/transport/queue/types.js';
import { makeFixture, sendDemoMessages } from './fixture.js';
import type { Fixture } from './fixture.js';

const RABBIT = 'amqp://guest:guest@127.0.0.1:5672';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
  });
  return { code, out, err };
}

interface Backend {
  readonly name: string;
  readonly open: (dir: string) => Promise<QueueAdapter>;
  readonly store: (f: Fixture) => string[];
  readonly poison: (queue: string) => string;
  readonly cleanup: (queue: string) => Promise<void>;
}

const prefix = `wsseq-console-${randomUUID().slice(0, 8)}`;

const backends: Backend[] = [
  {
    name: 'SQLite',
    open: (dir) =>
      Promise.resolve(openSqliteQueue({ file: join(dir, 'queues.db'), name: 'orders' })),
    store: (f) => ['--sqlite', join(f.dir, 'queues.db')],
    poison: (q) => `${q};poison`,
    cleanup: () => Promise.resolve(),
  },
  {
    name: 'RabbitMQ',
    open: () => openRabbitQueue({ url: RABBIT, name: `${prefix}.orders` }),
    store: () => ['--rabbitmq', RABBIT, '--queue', `${prefix}.orders`],
    poison: (q) => `${q}.poison`,
    cleanup: async (queue) => {
      const connection = await connect(RABBIT);
      const channel = await connection.createChannel();
      for (const q of [queue, `${queue}.poison`, `${queue}.deadletter`, `${queue}.quarantine`]) {
        await channel.deleteQueue(q);
      }
      await connection.close();
    },
  },
];

describe.each(backends)('wsseq queues on $name', (backend) => {
  let f: Fixture & { queue: QueueAdapter };
  let store: string[];
  let keys: string[];
  let poison: string;

  beforeAll(async () => {
    f = await makeFixture(backend.open);
    await sendDemoMessages(f, f.queue);
    await f.serve(f.queue, () => f.events.length >= 6);
    store = backend.store(f);
    poison = backend.poison(f.queue.name);
    keys = [
      '--service-key',
      f.files.serviceKey,
      '--service-cert',
      f.files.serviceCert,
      '--trust',
      f.files.root,
      '--intermediate',
      f.files.intermediate,
    ];
  });

  afterAll(async () => {
    await f.queue.close();
    f.recorder.close();
    await backend.cleanup(f.queue.name);
  });

  const peekAll = async (queue: string) => {
    const { code, out } = await cli(['queues', 'peek', ...store, '--from', queue, '--json']);
    expect(code).toBe(0);
    return JSON.parse(out) as { id: string; code?: string; reason?: string; sender?: string }[];
  };

  it('lists the queue with its counts', async () => {
    const { code, out } = await cli(['queues', 'list', ...store, '--json']);
    expect(code).toBe(0);
    const queues = JSON.parse(out) as { name: string; depth: number; poison: number }[];
    expect(queues.find((q) => q.name === f.queue.name)).toMatchObject({
      depth: 0,
      poison: 4,
      deadLetter: 0,
    });
    const text = await cli(['queues', 'list', ...store]);
    expect(text.out).toContain(f.queue.name);
  });

  it('peeks at the poison messages: codes, reasons, claimed senders', async () => {
    const rows = await peekAll(poison);
    expect(rows.map((r) => r.code).sort()).toEqual([
      'CertificateUntrusted',
      'CertificateUntrusted',
      'HandlerFailed',
      'SignatureInvalid',
    ]);
    expect(rows.find((r) => r.code === 'HandlerFailed')?.reason).toBe('the stock database is down');
    expect(rows.some((r) => (r.sender ?? '').includes('CN=mallory'))).toBe(true);
    // Peeking leaves every message where it was.
    expect(await peekAll(poison)).toHaveLength(4);
  });

  it('peeks at one message: summary without decrypting, and the verdict with today’s trust', async () => {
    const gizmo = (await peekAll(poison)).find((r) => r.code === 'HandlerFailed')!;
    const bare = await cli([
      'queues',
      'peek',
      ...store,
      '--from',
      poison,
      '--id',
      gizmo.id,
      '--json',
    ]);
    const summary = JSON.parse(bare.out) as {
      summary: { credentialType: string; bodyEncrypted: boolean };
      verdict?: unknown;
    };
    expect(summary.summary).toMatchObject({ credentialType: 'Certificate', bodyEncrypted: true });
    expect(summary.verdict).toBeUndefined();
    const full = await cli([
      'queues',
      'peek',
      ...store,
      '--from',
      poison,
      '--id',
      gizmo.id,
      '--json',
      ...keys,
    ]);
    const parsed = JSON.parse(full.out) as {
      verdict: { sentence: string; now: { ok: boolean; body?: string } };
    };
    expect(parsed.verdict.sentence).toBe('rejected then as HandlerFailed; would now be accepted');
    expect(parsed.verdict.now.body).toBeUndefined();
    const shown = await cli([
      'queues',
      'peek',
      ...store,
      '--from',
      poison,
      '--id',
      gizmo.id,
      '--json',
      '--show-body',
      ...keys,
    ]);
    expect((JSON.parse(shown.out) as typeof parsed).verdict.now.body).toContain('gizmo');
    const mallory = (await peekAll(poison)).find((r) => (r.sender ?? '').includes('mallory'))!;
    const refused = await cli([
      'queues',
      'peek',
      ...store,
      '--from',
      poison,
      '--id',
      mallory.id,
      '--json',
      ...keys,
    ]);
    expect((JSON.parse(refused.out) as typeof parsed).verdict.sentence).toBe(
      'rejected then as CertificateUntrusted; would now be rejected as CertificateUntrusted',
    );
  });

  it('retries only when confirmed; the message is back in its queue, handled and audited', async () => {
    const gizmo = (await peekAll(poison)).find((r) => r.code === 'HandlerFailed')!;
    const audit = join(f.dir, 'audit.jsonl');
    const unconfirmed = await cli([
      'queues',
      'retry',
      ...store,
      '--from',
      poison,
      '--id',
      gizmo.id,
      '--audit',
      audit,
    ]);
    expect(unconfirmed.code).toBe(2);
    expect(await peekAll(poison)).toHaveLength(4);
    const done = await cli([
      'queues',
      'retry',
      ...store,
      '--from',
      poison,
      '--id',
      gizmo.id,
      '--audit',
      audit,
      '--yes',
      '--json',
    ]);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out)).toMatchObject({ ok: true, target: f.queue.name });
    expect(await peekAll(poison)).toHaveLength(3);
    const waiting = await peekAll(f.queue.name);
    expect(waiting.map((r) => r.id)).toEqual([gizmo.id]);
    expect(waiting[0]?.code).toBeUndefined();
    f.broken = false;
    await f.serve(f.queue, () => f.handled.includes('gizmo'));
    expect(f.handled).toContain('gizmo');
    const lines = (await readFile(audit, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        via: 'cli',
        action: 'retry',
        queue: poison,
        messageId: gizmo.id,
        target: f.queue.name,
        outcome: 'done',
      }),
    ]);
  });

  it('moves, deletes and purges; an absent message is exit 1 with its code', async () => {
    const audit = join(f.dir, 'audit.jsonl');
    const [first, second] = await peekAll(poison);
    const target = `${f.queue.name}.quarantine`;
    if (backend.name === 'RabbitMQ') {
      const connection = await connect(RABBIT);
      await (await connection.createChannel()).assertQueue(target, { durable: true });
      await connection.close();
    }
    const moved = await cli([
      'queues',
      'move',
      ...store,
      '--from',
      poison,
      '--id',
      first!.id,
      '--to',
      target,
      '--audit',
      audit,
      '--yes',
    ]);
    expect(moved.code).toBe(0);
    expect((await peekAll(target)).map((r) => r.id)).toEqual([first!.id]);
    expect(
      (
        await cli([
          'queues',
          'delete',
          ...store,
          '--from',
          poison,
          '--id',
          second!.id,
          '--audit',
          audit,
          '--yes',
        ])
      ).code,
    ).toBe(0);
    const missing = await cli([
      'queues',
      'delete',
      ...store,
      '--from',
      poison,
      '--id',
      second!.id,
      '--audit',
      audit,
      '--yes',
      '--json',
    ]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ ok: false, code: 'MessageNotFound' });
    const purged = await cli([
      'queues',
      'purge',
      ...store,
      '--from',
      poison,
      '--audit',
      audit,
      '--yes',
      '--json',
    ]);
    expect(JSON.parse(purged.out)).toMatchObject({ ok: true, count: 1 });
    expect(await peekAll(poison)).toHaveLength(0);
    const actions = (await readFile(audit, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; outcome: string });
    expect(actions.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'retry:done',
      'move:done',
      'delete:done',
      'delete:failed',
      'purge:done',
    ]);
  });
});

describe('wsseq queues usage', () => {
  it('needs a store and an action', async () => {
    expect((await cli(['queues'])).code).toBe(2);
    expect((await cli(['queues', 'list'])).code).toBe(2);
    expect((await cli(['queues', 'frobnicate', '--sqlite', 'x'])).code).toBe(2);
    expect((await cli(['queues', 'list', '--rabbitmq', RABBIT])).code).toBe(2);
    expect((await cli(['queues', 'list', '--sqlite', '/nonexistent/q.db'])).code).toBe(2);
  });
});
