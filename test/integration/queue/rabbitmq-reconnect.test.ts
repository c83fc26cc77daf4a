/**
 * RabbitMQ recovery (issue 9 item 5): a private broker on random ports is killed (-9) under a
 * running client and service, then restarted. Both reconnect by themselves with backoff,
 * declare their queues again and carry on; the service keeps handling without a restart and
 * does not flood errors; a send made while the broker is down is published once it is back
 * (not dropped); the outage is reported as events. Booting a broker can take a minute here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/host/create-client.js';
import { createService } from '../../../src/host/create-service.js';
import type { ServiceEvent } from '../../../src/host/events.js';
import { openRabbitQueue } from '../../../src/transport/queue/rabbitmq-queue.js';
import type { QueueConnectionEvent } from '../../../src/transport/queue/types.js';
import { orderEnvelope } from '../../helpers.js';
import { waitUntil } from '../../support/free-port.js';
import { RABBIT_BOOT_MS, startRabbit } from '../../support/rabbitmq-server.js';
import type { PrivateRabbit } from '../../support/rabbitmq-server.js';

let broker: PrivateRabbit;
beforeAll(async () => {
  broker = await startRabbit();
}, RABBIT_BOOT_MS + 10_000);
afterAll(async () => {
  await broker.dispose();
});

describe('RabbitMQ: the broker killed and restarted', () => {
  it(
    'client and service reconnect, re-declare and resume; a send during the outage is not lost',
    async () => {
      const name = `wsseq-reconnect-${String(process.pid)}`;
      const reconnect = {
        url: broker.url,
        name,
        reconnectDelayMs: 200,
        maxReconnectDelayMs: 2000,
        publishTimeoutMs: RABBIT_BOOT_MS,
      };
      const clientEvents: QueueConnectionEvent[] = [];
      const sending = await openRabbitQueue({ ...reconnect, onEvent: (e) => clientEvents.push(e) });
      const receiving = await openRabbitQueue(reconnect);
      const events: ServiceEvent[] = [];
      const handled = new Set<string>();
      const service = createService({
        queue: receiving,
        mode: 'None',
        receiveWaitMs: 100,
        retryDelayMs: 100,
        handler: ({ message }) => {
          handled.add(message.id);
        },
        onEvent: (e) => events.push(e),
      });
      const client = createClient({ queue: sending, mode: 'None' });
      service.start();
      try {
        const before: string[] = [];
        for (let i = 0; i < 3; i++)
          before.push(await client.send(orderEnvelope('1.1', `b${String(i)}`)));
        await waitUntil(
          'the first messages handled',
          () => before.every((id) => handled.has(id)),
          30_000,
        );

        broker.kill();
        await waitUntil(
          'both sides to see the loss',
          () =>
            clientEvents.some((e) => e.type === 'disconnected') &&
            events.some((e) => e.type === 'queue-connection' && e.event.type === 'disconnected'),
          30_000,
        );
        // Sent while the broker is down: waits for it, then is published (not dropped).
        const during = client.send(orderEnvelope('1.1', 'during'));
        await broker.restart();
        const duringId = await during;

        const after: string[] = [];
        for (let i = 0; i < 3; i++)
          after.push(await client.send(orderEnvelope('1.1', `a${String(i)}`)));
        await waitUntil(
          'the service to handle what was sent during and after the outage',
          () => [duringId, ...after].every((id) => handled.has(id)),
          60_000,
        );
        expect(service.running).toBe(true);
        expect(clientEvents.some((e) => e.type === 'reconnected')).toBe(true);
        expect(
          events.some((e) => e.type === 'queue-connection' && e.event.type === 'reconnected'),
        ).toBe(true);
        // The outage is reported as connection events, not a flood of queue errors.
        expect(events.filter((e) => e.type === 'queue-error').length).toBeLessThan(10);
        expect(await receiving.poisonQueue().count()).toBe(0);
      } finally {
        await service.stop();
        await sending.close();
        await receiving.close();
      }
    },
    2 * RABBIT_BOOT_MS + 60_000,
  );
});
