/**
 * The security modes over RabbitMQ (the broker on 127.0.0.1:5672, guest/guest; `.ci/run`
 * starts it). A broker that is down fails these tests: they are not skipped.
 */
import amqp from 'amqplib';
import { openRabbitQueue } from '../../../src/transport/queue/rabbitmq-queue.js';
import { AMQP_URL } from '../host/queues.js';
import { describeModes } from './mode-suite.js';

describeModes(
  'RabbitMQ',
  (name) => openRabbitQueue({ url: AMQP_URL, name }),
  async (names) => {
    const connection = await amqp.connect(AMQP_URL);
    try {
      const channel = await connection.createChannel();
      for (const name of names) await channel.deleteQueue(name);
      await channel.close();
    } finally {
      await connection.close();
    }
  },
);
