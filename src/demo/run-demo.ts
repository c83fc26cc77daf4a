/**
 * `npm start` / `wsseq demo`: the whole flow on the embedded queue. Clients secure orders with
 * each credential type in each security mode; services open them; a few messages are
 * attacks. Each message is sent, then its fate is shown: who sent it, or why it was rejected
 * and where it went.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ServiceRequest } from '../host/create-service.js';
import type { ServiceEvent } from '../host/events.js';
import type { SecurityMode } from '../transport/modes.js';
import { QUEUE_PROPERTY } from '../transport/queue/types.js';
import type { QueuedMessage } from '../transport/queue/types.js';
import { startDemoKerberos } from './kerberos.js';
import type { DemoKerberos } from './kerberos.js';
import { prepareCast } from './setup.js';
import { demoSteps } from './steps.js';
import { MODES, outcomesFile, queueName, startServices } from './services.js';
import type { DemoQueues, DemoServices } from './services.js';
import { createStyle } from './style.js';

export interface DemoOptions {
  /** Working directory for the PKI, queues and replay cache. Default `.wsseq-demo`. */
  readonly dir?: string;
  readonly write?: (line: string) => void;
  readonly color?: boolean;
  /** How long to wait for one message's outcome. Default 20 s. */
  readonly stepTimeoutMs?: number;
  /**
   * Where the queues live: the embedded SQLite queue (default) or RabbitMQ (queues named
   * `<prefix>orders.<mode>`, left on the broker for inspection).
   */
  readonly queues?: DemoQueues;
}

export interface DemoSummary {
  readonly accepted: number;
  readonly rejected: number;
  /** Steps whose outcome was not the expected one (the demo exits non-zero then). */
  readonly unexpected: number;
}

type Outcome = { readonly event: ServiceEvent; readonly request: ServiceRequest | undefined };

/** Run the demo; resolves with counts once every message has an outcome. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const dir = options.dir ?? '.wsseq-demo';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const s = createStyle(options.color ?? false);
  const timeoutMs = options.stepTimeoutMs ?? 20_000;

  write(s.bold('wsseq demo: message security for queued SOAP services'));
  const queuesLabel =
    options.queues?.kind === 'rabbitmq'
      ? 'RabbitMQ'
      : `the embedded queue (${join(dir, 'queues.db')})`;
  write(
    s.dim(
      `queues on ${queuesLabel}; working directory ${dir} (queues and replay cache are fresh each run)\n`,
    ),
  );
  await mkdir(dir, { recursive: true });
  for (const f of [
    'queues.db',
    'queues.db-wal',
    'queues.db-shm',
    'replay.db',
    'replay.db-wal',
    'replay.db-shm',
    'outcomes.db',
    'outcomes.db-wal',
    'outcomes.db-shm',
  ]) {
    await rm(join(dir, f), { force: true });
  }

  write(s.bold('1. Credentials, held out of band'));
  const cast = await prepareCast(dir);
  write(
    `   ${cast.created ? 'created' : 'reusing'} a development PKI in ${relative(process.cwd(), cast.pkiDir) || cast.pkiDir}: ` +
      'root and issuing CA, service, alice, bob (plus an STS and a stranger, mallory)',
  );

  let unexpected = 0;
  let kerberos: DemoKerberos | undefined;
  try {
    const started = await startDemoKerberos(dir);
    if ('skipped' in started) {
      write(`   Windows credential skipped: ${started.skipped}\n`);
    } else {
      kerberos = started;
      const { realm, sender, service } = started;
      write(
        `   started a throwaway Kerberos realm in ${relative(process.cwd(), realm.dir) || realm.dir} ` +
          `(KDC pid ${String(realm.pid)} on ${realm.kdcAddress}); ${sender.client} holds a service ticket for ${service.servicePrincipal}\n`,
      );
    }
  } catch (err) {
    unexpected++;
    write(
      `   ${s.red('Windows credential skipped: the Kerberos realm did not start')} ${s.dim(`(${err instanceof Error ? err.message : String(err)})`)}\n`,
    );
  }

  const outcomes = new Map<string, Outcome>();
  const requests = new Map<string, ServiceRequest>();
  const waiters = new Map<string, (o: Outcome) => void>();
  const where: DemoQueues = options.queues ?? { kind: 'sqlite' };
  let services: DemoServices | undefined;
  let accepted = 0;
  let rejected = 0;
  try {
    services = await startServices(
      dir,
      cast,
      where,
      (_mode, event) => {
        if (!('messageId' in event) || event.messageId === undefined) return;
        if (event.type === 'retried' || event.type === 'returned') return;
        const outcome = { event, request: requests.get(event.messageId) };
        outcomes.set(event.messageId, outcome);
        waiters.get(event.messageId)?.(outcome);
      },
      (_mode, request) => {
        requests.set(request.message.id, request);
      },
      kerberos?.service,
    );
    write(s.bold('2. Services'));
    for (const mode of MODES)
      write(`   ${queueName(mode, where).padEnd(18)} security mode ${mode}`);
    write('');

    const waitFor = (id: string): Promise<Outcome> => {
      const done = outcomes.get(id);
      if (done) return Promise.resolve(done);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no outcome for message ${id} after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(id, (o) => {
          clearTimeout(timer);
          resolve(o);
        });
      });
    };

    write(s.bold('3. Messages'));
    for (const step of demoSteps(cast, services.queues, where, kerberos?.sender)) {
      write(`   ${s.dim('→')} ${s.cyan(step.mode.padEnd(9))} ${step.title}`);
      const id = await step.send();
      const { event, request } = await waitFor(id);
      let got: string;
      if (event.type === 'accepted') {
        accepted++;
        got = 'accepted';
        const ctx = request?.context;
        const credential =
          ctx?.security?.credentialType ??
          (ctx?.transportCertificate ? 'transport certificate' : 'anonymous');
        const who =
          ctx?.security?.identity.name ?? ctx?.transportCertificate?.subject ?? 'anonymous';
        const account = ctx?.account ? `, account ${ctx.account.account}` : '';
        write(
          `     ${s.green('✔ accepted')}  ${describeOrder(request)} from ${s.bold(who)} (${credential}${account})`,
        );
      } else if (
        event.type === 'rejected' ||
        event.type === 'poisoned' ||
        event.type === 'dead-lettered'
      ) {
        rejected++;
        got = event.code;
        const queue = services.queues.get(step.mode);
        const destination =
          event.type === 'dead-lettered'
            ? queue?.deadLetterQueue().name
            : queue?.poisonQueue().name;
        write(`     ${s.red(`✘ rejected  ${event.code}`)} ${s.dim(`(${event.reason})`)}`);
        write(`       moved to ${destination ?? '?'}`);
      } else {
        got = event.type;
      }
      if (got !== step.expect) {
        unexpected++;
        write(`     ${s.red(`UNEXPECTED: wanted ${step.expect}, got ${got}`)}`);
      }
    }

    write('');
    write(s.bold('4. Where every message went'));
    for (const mode of MODES) {
      const queue = services.queues.get(mode);
      if (!queue) continue;
      const poison = await listAll(queue.poisonQueue());
      write(
        `   ${queueName(mode, where).padEnd(18)} waiting ${await queue.count()}, poison ${poison.length}`,
      );
      for (const m of poison) {
        write(
          `     ${s.dim('poison:')} ${m.properties[QUEUE_PROPERTY.rejectCode] ?? '?'} ${s.dim(m.properties[QUEUE_PROPERTY.rejectReason] ?? '')}`,
        );
      }
    }
  } finally {
    await services?.close();
    // The KDC is stopped by PID whatever happened.
    await kerberos?.realm.stop();
  }
  write('');
  write(
    `${s.bold('Done:')} ${accepted} accepted, ${rejected} rejected, nothing lost` +
      (unexpected > 0 ? `, ${s.red(`${unexpected} unexpected`)}` : '.'),
  );
  write('');
  write(
    s.bold(
      'See them in the operator console (accepted and rejected per minute, the poison queues):',
    ),
  );
  write(
    where.kind === 'sqlite'
      ? `   npx wsseq console --sqlite ${join(dir, 'queues.db')}`
      : `   npx wsseq console --rabbitmq ${where.url ?? 'amqp://guest:guest@127.0.0.1:5672'} ${MODES.map((m) => ` --queue ${queueName(m, where)}`).join('')} --outcomes ${outcomesFile(dir)}`,
  );
  write(
    s.dim(
      '   (add --service-key/--service-cert/--trust from the PKI to open poisoned messages; see docs/console.md)',
    ),
  );
  return { accepted, rejected, unexpected };
}

/** Read every message of a queue without settling it (they return to it on close). */
async function listAll(queue: {
  receive(): Promise<(QueuedMessage & { retry(ms: number): Promise<void> }) | undefined>;
}): Promise<QueuedMessage[]> {
  const out: QueuedMessage[] = [];
  const held: { retry(ms: number): Promise<void> }[] = [];
  for (let d = await queue.receive(); d; d = await queue.receive()) {
    out.push(d);
    held.push(d);
  }
  for (const d of held) await d.retry(0);
  return out;
}

function describeOrder(request: ServiceRequest | undefined): string {
  const body = request?.body ?? '';
  const item = /<m:Item>([^<]*)<\/m:Item>/.exec(body)?.[1] ?? '?';
  const quantity = /<m:Quantity>([^<]*)<\/m:Quantity>/.exec(body)?.[1] ?? '?';
  return `PlaceOrder ${quantity} × ${item}`;
}

export type { SecurityMode, DemoQueues };
