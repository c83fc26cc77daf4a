/**
 * The benchmark's independent peers, each one long-running process driven by a line protocol
 * on stdin/stdout (one command line, one reply line): Apache WSS4J 1.6 in one warm JVM
 * (`peers/Wss4jPeer.java`, compiled here with javac against Debian's jars) and the C library
 * xmlsec through python-xmlsec (`peers/python_xmlsec.py`). A peer that cannot start is
 * reported as skipped, with the reason, and the benchmark goes on without it.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** What a peer's `bench` command reports. */
export interface PeerMeasurement {
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly cpuMsPerOp: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** A peer process: send one command line, get its reply line. */
export class LinePeer {
  private readonly replies: string[] = [];
  private readonly waiting: ((line: string) => void)[] = [];
  private closed = false;
  private stderrTail = '';

  constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.replies.push(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    });
    child.on('exit', () => {
      this.closed = true;
      for (const w of this.waiting.splice(0)) w(`error ${this.name} exited: ${this.stderrTail}`);
    });
  }

  /** The next reply line (the first one is "ready"). */
  next(): Promise<string> {
    const line = this.replies.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closed) return Promise.resolve(`error ${this.name} exited: ${this.stderrTail}`);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Send a command; resolve with its reply, reject on an `error ...` reply. */
  async ask(command: string): Promise<string> {
    this.child.stdin.write(`${command}\n`);
    const reply = await this.next();
    if (reply.startsWith('error')) throw new Error(`${this.name}: ${reply}`);
    return reply;
  }

  async bench(what: 'open' | 'secure', file: string, seconds: number): Promise<PeerMeasurement> {
    return JSON.parse(await this.ask(`bench ${what} ${file} ${seconds}`)) as PeerMeasurement;
  }

  close(): void {
    if (!this.closed) this.child.stdin.end('quit\n');
  }
}

async function startPeer(name: string, command: string, args: string[]): Promise<LinePeer> {
  const peer = new LinePeer(name, spawn(command, args, { stdio: 'pipe' }));
  const first = await peer.next();
  if (first !== 'ready') throw new Error(first);
  return peer;
}

/** The key files the peers read (as written by writeTestPki). */
export interface PeerKeys {
  readonly dir: string;
  /** Password of client.p12 and service.p12. */
  readonly p12Password: string;
}

/** Debian's jars for WSS4J 1.6 and its runtime dependencies. */
const WSS4J_JARS = ['wss4j', 'xmlsec', 'commons-logging', 'slf4j-api', 'slf4j-nop'].map(
  (j) => `/usr/share/java/${j}.jar`,
);

/**
 * Start the WSS4J peer: compile the harness (cached by source hash) and start one JVM.
 * Returns the peer, or the reason it is skipped.
 */
export async function startWss4jPeer(keys: PeerKeys): Promise<LinePeer | string> {
  const javac = spawnSync('javac', ['-version']);
  if (javac.error || javac.status !== 0) {
    return 'no javac (apt-get install default-jdk-headless)';
  }
  const missing = WSS4J_JARS.filter((j) => !existsSync(j));
  if (missing.length > 0) {
    return `missing ${missing.join(', ')} (apt-get install libwss4j-java)`;
  }
  const source = join(HERE, 'peers', 'Wss4jPeer.java');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 16);
  const classes = join(tmpdir(), `wsseq-bench-wss4j-${hash}`);
  const classpath = [classes, ...WSS4J_JARS].join(':');
  if (!existsSync(join(classes, 'Wss4jPeer.class'))) {
    mkdirSync(classes, { recursive: true });
    const built = spawnSync('javac', ['-d', classes, '-cp', classpath, source]);
    if (built.status !== 0) return `javac failed: ${built.stderr.toString().slice(0, 500)}`;
  }
  const k = (f: string): string => join(keys.dir, f);
  try {
    return await startPeer('WSS4J', 'java', [
      '-cp',
      classpath,
      'Wss4jPeer',
      k('client.p12'),
      keys.p12Password,
      k('service.p12'),
      keys.p12Password,
      k('ca-chain.pem'),
    ]);
  } catch (err) {
    return `the JVM did not start: ${(err as Error).message}`;
  }
}

/** Start the python-xmlsec peer, or say why it is skipped. */
export async function startXmlsecPeer(keys: PeerKeys): Promise<LinePeer | string> {
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import xmlsec, lxml']);
  if (probe.error || probe.status !== 0) {
    return 'no python3-xmlsec for /usr/bin/python3 (apt-get install python3-xmlsec)';
  }
  const k = (f: string): string => join(keys.dir, f);
  try {
    return await startPeer('python-xmlsec', python, [
      join(HERE, 'peers', 'python_xmlsec.py'),
      k('service.key'),
      k('service.pem'),
      k('client.key'),
      k('client.pem'),
    ]);
  } catch (err) {
    return `python-xmlsec did not start: ${(err as Error).message}`;
  }
}
