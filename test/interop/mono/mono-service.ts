/**
 * Plumbing for test/interop/mono-service.test.ts: compile samples/wcf/mono/WcfService.cs with
 * Mono's `mcs`, run it on a free local port, POST a message to it and collect what it printed.
 * Not a test file.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');
export const SERVICE_SOURCE = join(ROOT, 'samples/wcf/mono/WcfService.cs');
/** The keys the service uses (service.pfx, password `test`): the WCF vectors' test keys. */
export const KEYS_DIR = join(ROOT, 'test/vectors/wcf/keys');

/** How long the service waits for a message before it exits by itself. */
const SERVICE_WAIT_MS = 20_000;

function onPath(command: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

/**
 * Whether the Mono tests run: only when asked (`WSSEQ_MONO=1`) and Mono is installed. CI does
 * not install Mono (about 3 minutes of apt-get), so there the file is always skipped.
 */
export function monoEnabled(): boolean {
  if (process.env.WSSEQ_MONO !== '1') {
    console.warn(
      'skipped: the Mono WCF service tests run only with WSSEQ_MONO=1 (CI does not install Mono)',
    );
    return false;
  }
  if (!onPath('mcs') || !onPath('mono')) {
    console.warn(
      'skipped: WSSEQ_MONO=1 but Mono is missing (apt-get install -y mono-mcs mono-devel ' +
        'libmono-system-servicemodel4.0a-cil)',
    );
    return false;
  }
  return true;
}

/** Compile WcfService.exe into a fresh temporary directory. */
export function buildService(): { exe: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wsseq-mono-'));
  const exe = join(dir, 'WcfService.exe');
  const r = spawnSync(
    'mcs',
    [
      '-r:System.ServiceModel',
      '-r:System.Runtime.Serialization',
      '-r:System.IdentityModel',
      `-out:${exe}`,
      SERVICE_SOURCE,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`mcs failed:\n${r.stdout}${r.stderr}`);
  return {
    exe,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** A running WcfService.exe. */
export interface RunningService {
  /** The endpoint address (also the wsa:To it expects). */
  readonly url: string;
  /** Everything printed so far. */
  output(): string;
  /**
   * Resolve once the service printed `RECEIVED …` (the operation ran) or `ERROR …` (the
   * dispatcher rejected the message; WcfService's error handler prints it), or exited.
   */
  outcome(): Promise<string>;
  stop(): void;
}

/** Start `mono WcfService.exe <variant> <keys> <port>` and wait until it listens. */
export async function startService(exe: string, variant: string): Promise<RunningService> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'mono',
    ['--debug', exe, variant, KEYS_DIR, String(port), String(SERVICE_WAIT_MS)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const waiters: (() => void)[] = [];
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    notify();
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
    notify();
  });
  const until = async (done: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + SERVICE_WAIT_MS + 5_000;
    while (!done()) {
      if (exited) throw new Error(`WcfService exited before ${what}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`WcfService: no ${what}:\n${out}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 250);
      });
    }
  };
  await until(() => out.includes('LISTENING '), 'LISTENING line');
  const stop = (): void => {
    if (!exited && child.pid !== undefined) child.kill('SIGKILL');
  };
  return {
    url: `http://127.0.0.1:${String(port)}/orders/`,
    output: () => out,
    async outcome() {
      const settled = (): boolean => /^(RECEIVED|ERROR) /m.test(out) || exited;
      const deadline = Date.now() + SERVICE_WAIT_MS + 5_000;
      while (!settled() && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
      return out;
    },
    stop,
  };
}

/**
 * POST a SOAP 1.2 message as Mono's own client does: `application/soap+xml; charset=utf-8`,
 * no `action` parameter unless given (Mono 6.8's HTTP transport then replaces the signed
 * wsa:Action header, and the signature no longer verifies).
 */
export async function post(url: string, body: string, actionParameter?: string): Promise<number> {
  const type =
    actionParameter === undefined
      ? 'application/soap+xml; charset=utf-8'
      : `application/soap+xml; charset=utf-8; action="${actionParameter}"`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  await res.arrayBuffer();
  return res.status;
}
