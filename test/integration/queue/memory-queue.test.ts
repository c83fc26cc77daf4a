import { describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { queueContract, receiveOne } from './contract.js';

queueContract('in-memory', (name) => Promise.resolve(createMemoryQueue(name)));

describe('the in-memory queue', () => {
  it('follows the clock it is given (visibility and TTL)', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const queue = createMemoryQueue('clocked', { now: () => new Date(now) });
    await queue.send(Buffer.from('a'), { ttlMs: 1000 });
    await queue.send(Buffer.from('b'));
    const b0 = await receiveOne(queue);
    expect(b0.body.toString()).toBe('a');
    await b0.retry(60_000);
    now += 30_000; // 'a' is past its TTL but still delayed: not yet met by receive
    const b = await receiveOne(queue);
    expect(b.body.toString()).toBe('b');
    await b.ack();
    now += 30_000;
    expect(await queue.receive()).toBeUndefined();
    expect((await receiveOne(queue.deadLetterQueue())).body.toString()).toBe('a');
  });

  it('returns unsettled messages on close', async () => {
    const queue = createMemoryQueue('closing');
    await queue.send(Buffer.from('x'));
    const delivery = await receiveOne(queue);
    await queue.close();
    await expect(delivery.ack()).rejects.toThrow(/closed/);
    await expect(queue.send(Buffer.from('y'))).rejects.toThrow(/closed/);
  });

  it('resolves undefined when the wait is aborted', async () => {
    const queue = createMemoryQueue('aborted');
    const controller = new AbortController();
    setTimeout(() => {
      controller.abort();
    }, 50);
    const started = Date.now();
    expect(await queue.receive({ waitMs: 10_000, signal: controller.signal })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
