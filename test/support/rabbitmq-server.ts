/**
 * A private rabbitmq-server on random 127.0.0.1 ports (AMQP, distribution, its own epmd), its
 * data in a temporary directory, for tests that kill (-9) and restart a broker (never the
 * shared one). Booting takes from a few seconds to a minute on a loaded machine. Not a test
 * file.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { freePort, waitUntil } from './free-port.js';

export interface PrivateRabbit {
  readonly url: string;
  /** SIGKILL the broker's Erlang VM (by its PID). */
  kill(): void;
  /** Start it again (same ports, same data). */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

export const RABBIT_BOOT_MS = 150_000;

export async function startRabbit(): Promise<PrivateRabbit> {
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-rabbit-'));
  chmodSync(dir, 0o777); // the broker runs as the rabbitmq user
  const plugins = join(dir, 'enabled_plugins');
  writeFileSync(plugins, '[].');
  chmodSync(plugins, 0o666);
  const pidFile = join(dir, 'pid');
  const env = {
    ...process.env,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODENAME: `wsseq-${String(process.pid)}-${String(port)}@localhost`,
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: plugins,
    RABBITMQ_PID_FILE: pidFile,
    RABBITMQ_CONFIG_FILE: join(dir, 'none'),
  };
  const url = `amqp://guest:guest@127.0.0.1:${String(port)}`;
  const start = async (): Promise<void> => {
    rmSync(pidFile, { force: true });
    spawn('rabbitmq-server', [], { env, stdio: 'ignore', detached: true }).unref();
    await waitUntil(
      `rabbitmq-server on ${String(port)}`,
      async () => {
        const connection = await connect(url);
        await connection.close();
        return true;
      },
      RABBIT_BOOT_MS,
    );
  };
  const kill = (): void => {
    let pid: number;
    try {
      pid = Number(readFileSync(pidFile, 'utf8').trim());
    } catch {
      return;
    }
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  await start();
  return {
    url,
    kill,
    restart: start,
    async dispose() {
      kill();
      // Its own epmd, on its own port.
      await new Promise((resolve) => {
        execFile('epmd', ['-kill'], { env }, resolve);
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
