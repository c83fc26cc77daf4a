/**
 * A private redis-server on a random 127.0.0.1 port, for tests that stop, kill or restart it
 * (never the shared one). Not a test file.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitUntil } from './free-port.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** A client that fails fast while the server is down (one retry per command). */
  client(): Redis;
  /** SIGKILL the server (no shutdown save). */
  kill(): Promise<void>;
  /** Start it again on the same port and directory. */
  restart(): Promise<void>;
  /** Kill it, quit the clients, remove its directory. */
  dispose(): Promise<void>;
}

/** Start redis-server with an append-only file (`persistent`) or with no persistence at all. */
export async function startRedis(persistent: boolean): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    persistent ? 'yes' : 'no',
    '--appendfsync',
    'always',
  ];
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 50,
  });
  probe.on('error', () => undefined); // refused while the server is down: expected
  const start = async (): Promise<void> => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    await waitUntil(
      `redis-server on ${String(port)}`,
      async () => {
        await probe.ping();
        return true;
      },
      10_000,
    );
  };
  const kill = async (): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${String(port)}`,
    client() {
      const client = new Redis(port, '127.0.0.1', {
        maxRetriesPerRequest: 1,
        retryStrategy: () => 100,
      });
      client.on('error', () => undefined); // refused while the server is down: expected
      clients.push(client);
      return client;
    },
    kill,
    restart: start,
    async dispose() {
      await kill();
      for (const c of [...clients, probe]) c.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
