import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteQueue } from '../../src/transport/queue/sqlite-queue.js';
import { openSqliteAdmin } from '../../src/console/admin-sqlite.js';
import type { QueueAdmin } from '../../src/console/types.js';
import { makeFixture, sendDemoMessages } from './fixture.js';
import type { Fixture } from './fixture.js';
import type { QueueAdapter } from '../../src/transport/queue/types.js';

let f: Fixture & { queue: QueueAdapter };
let admin: QueueAdmin;

beforeAll(async () => {
  f = await makeFixture((dir) =>
    Promise.resolve(openSqliteQueue({ file: join(dir, 'queues.db'), name: 'orders.message' })),
  );
  await sendDemoMessages(f, f.queue);
  await f.serve(f.queue, () => f.events.length >= 6);
  admin = openSqliteAdmin({ file: join(f.dir, 'queues.db') });
});

afterAll(async () => {
  await admin.close();
  await f.queue.close();
  f.recorder.close();
});

describe('SQLite admin', () => {
  it('lists the queue with its poison count', async () => {
    const [q] = await admin.listQueues();
    expect(q).toMatchObject({
      name: 'orders.message',
      depth: 0,
      inFlight: 0,
      poison: 4,
      deadLetter: 0,
    });
  });

  it('lists poison messages with their codes', async () => {
    const codes = (await admin.listMessages('orders.message;poison')).map((m) => m.code).sort();
    expect(codes).toEqual([
      'CertificateUntrusted',
      'CertificateUntrusted',
      'HandlerFailed',
      'SignatureInvalid',
    ]);
  });

  it('retries a poison message to its source queue, where it is handled', async () => {
    const gizmo = (await admin.listMessages('orders.message;poison')).find(
      (m) => m.code === 'HandlerFailed',
    );
    expect(gizmo).toBeDefined();
    expect(await admin.retry('orders.message;poison', gizmo!.id)).toBe('orders.message');
    const back = await admin.peek('orders.message', gizmo!.id);
    expect(back?.code).toBeUndefined();
    expect(back?.properties['wsseq-reject-code']).toBeUndefined();
    await expect(admin.retry('orders.message;poison', gizmo!.id)).rejects.toMatchObject({
      code: 'MessageNotFound',
    });
    f.broken = false;
    await f.serve(f.queue, () => f.handled.includes('gizmo'));
    expect(f.handled).toContain('gizmo');
    expect((await admin.listQueues())[0]).toMatchObject({ depth: 0, poison: 3 });
  });

  it('refuses to act on a message a receiver holds', async () => {
    const id = await f.queue.send(Buffer.from('<x/>'));
    const delivery = await f.queue.receive();
    expect(delivery?.id).toBe(id);
    expect((await admin.listQueues())[0]?.inFlight).toBe(1);
    await expect(admin.delete('orders.message', id)).rejects.toMatchObject({
      code: 'MessageInFlight',
    });
    expect(await admin.purge('orders.message')).toBe(0);
    await delivery!.ack();
  });

  it('moves, deletes and purges', async () => {
    const [first] = await admin.listMessages('orders.message;poison');
    await admin.move('orders.message;poison', first!.id, 'orders.quarantine');
    expect(
      (await admin.peek('orders.quarantine', first!.id))?.properties['wsseq-reject-code'],
    ).toBe(first!.code);
    await admin.delete('orders.quarantine', first!.id);
    expect(await admin.peek('orders.quarantine', first!.id)).toBeUndefined();
    expect(await admin.purge('orders.message;poison')).toBe(2);
    await expect(admin.retry('orders.message', 'nope')).rejects.toMatchObject({
      code: 'MessageNotFound',
    });
    await expect(admin.move('orders.message', 'x', '')).rejects.toMatchObject({
      code: 'BadQueueName',
    });
  });
});
