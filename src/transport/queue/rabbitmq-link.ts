/**
 * The RabbitMQ adapter's connection: one AMQP connection and one confirm channel, re-opened
 * with backoff when the broker goes away (restart, kill, network), with the queue topology
 * declared again on each new channel. Internal to the RabbitMQ adapter.
 */
import { connect } from 'amqplib';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { INTERNAL_HEADER } from './rabbitmq-message.js';
import type { QueueConnectionEvent } from './types.js';

export type Role = 'main' | 'terminal';

/** One live connection and its confirm channel. */
export interface Session {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  /** Increases with each new session: deliveries remember theirs (tags are per channel). */
  readonly generation: number;
  /** Publishes the broker returned as unroutable, by publish id. */
  readonly returned: Set<string>;
}

export interface LinkOptions {
  readonly url: string;
  readonly name: string;
  readonly queueType: 'classic' | 'quorum';
  /** First reconnection delay; doubles up to `maxReconnectDelayMs`. */
  readonly reconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
}

export class Link {
  readonly options: LinkOptions;
  /** Queues to declare on each new channel, with their role. */
  private readonly topology = new Map<string, Role>();
  private readonly listeners = new Set<(event: QueueConnectionEvent) => void>();
  private session: Session | undefined;
  private connecting: Promise<Session> | undefined;
  private generation = 0;
  private lastError: Error | undefined;
  closed = false;

  constructor(options: LinkOptions) {
    this.options = options;
  }

  subscribe(listener: (event: QueueConnectionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(event: QueueConnectionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // an observer's failure changes nothing here
      }
    }
  }

  /** The live session, if any (no waiting). */
  get current(): Session | undefined {
    return this.session;
  }

  /** Why the last connection was lost or could not be made. */
  get failure(): Error | undefined {
    return this.lastError;
  }

  /** Declare `queue` now (if connected) and on every reconnection. */
  async declare(queue: string, role: Role): Promise<void> {
    this.topology.set(queue, role);
    const session = this.session;
    if (session) await declareQueue(session.channel, queue, role, this.options.queueType);
  }

  /** Connect once (the first connection: its errors reject, no retry). */
  async open(): Promise<Session> {
    return this.establish();
  }

  /**
   * The live session, or start reconnecting in the background and return undefined (callers
   * that can wait use {@link Link.wait}).
   */
  poke(): Session | undefined {
    if (this.session || this.closed) return this.session;
    this.connecting ??= this.reconnect();
    return undefined;
  }

  /** The live session, waiting for a reconnection up to `deadline` (epoch ms). */
  async wait(deadline: number): Promise<Session> {
    for (;;) {
      if (this.closed) throw new Error(`queue ${this.options.name}: closed`);
      if (this.session) return this.session;
      this.connecting ??= this.reconnect();
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `queue ${this.options.name}: RabbitMQ is unreachable (${this.lastError?.message ?? 'reconnecting'})`,
          { cause: this.lastError },
        );
      }
      await Promise.race([this.connecting.catch(() => undefined), delay(Math.min(left, 1000))]);
    }
  }

  private async establish(): Promise<Session> {
    // noDelay: without it Nagle's algorithm and delayed ACKs add ~40 ms to every confirm.
    const connection = await connect(this.options.url, { noDelay: true, timeout: 10_000 });
    try {
      const channel = await connection.createConfirmChannel();
      const session: Session = {
        connection,
        channel,
        generation: ++this.generation,
        returned: new Set(),
      };
      const lost = (err: Error): void => {
        if (this.session !== session) return;
        this.session = undefined;
        this.lastError = err;
        if (this.closed) return;
        this.emit({ type: 'disconnected', queue: this.options.name, error: err });
        this.connecting ??= this.reconnect();
      };
      connection.on('error', (err: Error) => {
        lost(err);
      });
      connection.on('close', () => {
        lost(this.lastError ?? new Error(`queue ${this.options.name}: the connection closed`));
      });
      channel.on('error', (err: Error) => {
        lost(err);
        void connection.close().catch(() => undefined);
      });
      channel.on('close', () => {
        lost(new Error(`queue ${this.options.name}: the channel closed`));
        void connection.close().catch(() => undefined);
      });
      channel.on('return', (message: Message) => {
        const headers = message.properties.headers as Record<string, unknown> | undefined;
        const publishId = headers?.[INTERNAL_HEADER.publishId];
        if (typeof publishId === 'string') session.returned.add(publishId);
      });
      for (const [queue, role] of this.topology) {
        await declareQueue(channel, queue, role, this.options.queueType);
      }
      this.session = session;
      this.lastError = undefined;
      return session;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  /** Reconnect with exponential backoff until it works or the link is closed. */
  private async reconnect(): Promise<Session> {
    const { reconnectDelayMs, maxReconnectDelayMs, name } = this.options;
    try {
      for (let attempt = 1; ; attempt++) {
        if (this.isClosed()) throw new Error(`queue ${name}: closed`);
        try {
          const session = await this.establish();
          if (this.isClosed()) {
            await session.connection.close().catch(() => undefined);
            throw new Error(`queue ${name}: closed`);
          }
          this.emit({ type: 'reconnected', queue: name, attempts: attempt });
          return session;
        } catch (err) {
          this.lastError = err instanceof Error ? err : new Error(String(err));
          const retryInMs = Math.min(maxReconnectDelayMs, reconnectDelayMs * 2 ** (attempt - 1));
          this.emit({
            type: 'reconnect-failed',
            queue: name,
            attempt,
            error: this.lastError,
            retryInMs,
          });
          if (this.isClosed()) throw this.lastError;
          await delay(retryInMs);
        }
      }
    } finally {
      this.connecting = undefined;
    }
  }

  /** A method, so that checks after an await read the current value. */
  private isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    // Unsettled messages go back to their queues when the channel closes.
    await session.channel.close().catch(() => undefined);
    await session.connection.close().catch(() => undefined);
  }
}

export async function declareQueue(
  channel: ConfirmChannel,
  queue: string,
  role: Role,
  queueType: 'classic' | 'quorum',
): Promise<void> {
  const args: Record<string, unknown> = { 'x-queue-type': queueType };
  if (role === 'main') {
    args['x-dead-letter-exchange'] = '';
    args['x-dead-letter-routing-key'] = `${queue}.deadletter`;
  }
  await channel.assertQueue(queue, { durable: true, arguments: args });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
