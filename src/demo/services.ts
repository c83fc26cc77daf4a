/**
 * The demo's service side: one queue per security mode on the embedded SQLite queue, and a
 * service host on each, accepting every credential type wsseq supports.
 */
import { join } from 'node:path';
import { openOutcomeRecorder } from '../console/outcomes.js';
import { kerberosAuthenticator } from '../credentials/kerberos.js';
import { issuedTokenAuthenticator } from '../credentials/issued-jwt.js';
import { createUserStore } from '../credentials/user-store.js';
import { usernameAuthenticator } from '../credentials/username.js';
import { createService } from '../host/create-service.js';
import type { Service, ServiceRequest } from '../host/create-service.js';
import type { ServiceEvent } from '../host/events.js';
import { openSqliteReplayCache } from '../replay/sqlite.js';
import type { SqliteReplayCache } from '../replay/sqlite.js';
import type { SecurityMode } from '../transport/modes.js';
import { openRabbitQueue } from '../transport/queue/rabbitmq-queue.js';
import { openSqliteQueue } from '../transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../transport/queue/types.js';
import type { DemoCast } from './setup.js';

export const DEMO_AUDIENCE = 'urn:wsseq:demo:orders';
export const DEMO_ISSUER = 'urn:wsseq:demo:sts';
export const MODES: readonly SecurityMode[] = ['Message', 'Both', 'Transport', 'None'];

export interface DemoServices {
  readonly queues: ReadonlyMap<SecurityMode, QueueAdapter>;
  readonly services: readonly Service[];
  readonly replay: SqliteReplayCache;
  close(): Promise<void>;
}

/** The demo realm's service side, when Kerberos is available: its keytab and principal. */
export interface DemoKerberosService {
  readonly keytab: string;
  readonly servicePrincipal: string;
}

/** Where the demo's queues live: the embedded SQLite queue (default) or a RabbitMQ broker. */
export type DemoQueues =
  | { readonly kind: 'sqlite' }
  | { readonly kind: 'rabbitmq'; readonly url?: string; readonly prefix: string };

export function queueName(mode: SecurityMode, queues: DemoQueues = { kind: 'sqlite' }): string {
  const name = `orders.${mode.toLowerCase()}`;
  return queues.kind === 'rabbitmq' ? `${queues.prefix}${name}` : name;
}

/** Where the outcome recorder writes when the queues are on RabbitMQ. */
export function outcomesFile(dir: string): string {
  return join(dir, 'outcomes.db');
}

/** Start a service per mode; every outcome goes to `onEvent`, every handled order to `onOrder`. */
export async function startServices(
  dir: string,
  cast: DemoCast,
  where: DemoQueues,
  onEvent: (mode: SecurityMode, event: ServiceEvent) => void,
  onOrder: (mode: SecurityMode, request: ServiceRequest) => void,
  kerberos?: DemoKerberosService,
): Promise<DemoServices> {
  const file = join(dir, 'queues.db');
  // Outcomes for the console's chart: in the queue file itself, or beside it for RabbitMQ.
  const recorder = openOutcomeRecorder({
    file: where.kind === 'sqlite' ? file : outcomesFile(dir),
  });
  const replay = openSqliteReplayCache({ path: join(dir, 'replay.db') });
  const open = {
    serviceKeys: [cast.service],
    trust: cast.trust,
    replayCache: replay,
    policy: { maxMessageAgeSeconds: 3600 },
    credentials: [
      usernameAuthenticator({
        validator: createUserStore(cast.users, {
          secretProvider: (username) => cast.digestSecrets.get(username),
        }),
        maxNonceAgeSeconds: 3600,
      }),
      issuedTokenAuthenticator({
        trustedIssuers: [{ issuer: DEMO_ISSUER, certificates: [cast.sts.certificate] }],
        audience: DEMO_AUDIENCE,
      }),
      ...(kerberos ? [kerberosAuthenticator(kerberos)] : []),
    ],
  };
  const queues = new Map<SecurityMode, QueueAdapter>();
  const services: Service[] = [];
  for (const mode of MODES) {
    const name = queueName(mode, where);
    const queue =
      where.kind === 'sqlite'
        ? openSqliteQueue({ file, name })
        : await openRabbitQueue({ name, ...(where.url === undefined ? {} : { url: where.url }) });
    queues.set(mode, queue);
    const record = recorder.listener(queue.name);
    const service = createService({
      queue,
      mode,
      ...(mode === 'Message' || mode === 'Both' ? { open } : {}),
      ...(mode === 'Transport' || mode === 'Both' ? { transportTrust: cast.trust } : {}),
      mapping: {
        requireMapping: false,
        manyToOne: [
          { name: 'staff', email: '*@example.com', account: 'orders-clerk', roles: ['staff'] },
          {
            name: 'partners',
            email: '*@partner.example',
            account: 'partner-buyer',
            roles: ['partner'],
          },
        ],
      },
      errorMode: 'Move',
      retryDelayMs: 100,
      receiveWaitMs: 50,
      handler: (request) => {
        onOrder(mode, request);
      },
      onEvent: (event) => {
        record(event);
        onEvent(mode, event);
      },
    });
    service.start();
    services.push(service);
  }
  return {
    queues,
    services,
    replay,
    async close() {
      await Promise.all(services.map((s) => s.stop()));
      await Promise.all([...queues.values()].map((q) => q.close()));
      replay.close();
      recorder.close();
    },
  };
}
