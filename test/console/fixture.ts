/**
 * Queues filled like the demo's, made with the library: a SQLite queue file with accepted
 * and rejected messages (a handler failure, an untrusted signer whose subject carries markup,
 * a tampered Timestamp) and a service host to handle what an operator retries.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateCredential } from '../../src/credentials/x509.js';
import { createClient } from '../../src/host/create-client.js';
import { createService } from '../../src/host/create-service.js';
import type { Service } from '../../src/host/create-service.js';
import type { ServiceEvent } from '../../src/host/events.js';
import { issueCertificate, EKU } from '../../src/trust/dev-pki.js';
import type { QueueAdapter } from '../../src/transport/queue/types.js';
import { openOutcomeRecorder } from '../../src/console/outcomes.js';
import type { OutcomeRecorder } from '../../src/console/outcomes.js';
import { prepareCast } from '../../src/demo/setup.js';
import type { DemoCast } from '../../src/demo/setup.js';

export const XSS = '<img src=x onerror="window.__xss=1">';
/** Markup in a certificate subject (a DN value holds no '=', ',' or '+'). */
export const XSS_SUBJECT = '<script>alert(1)</script><b>evil</b>';

export function order(item: string): string {
  return (
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:example:orders">' +
    `<soap:Header/><soap:Body><m:PlaceOrder><m:Item>${item}</m:Item><m:Quantity>1</m:Quantity>` +
    '</m:PlaceOrder></soap:Body></soap:Envelope>'
  );
}

export interface Fixture {
  readonly dir: string;
  readonly cast: DemoCast;
  /** Paths of the PEM files `wsseq open` takes. */
  readonly files: { serviceKey: string; serviceCert: string; root: string; intermediate: string };
  readonly handled: string[];
  readonly events: ServiceEvent[];
  /** Whether the handler fails on "gizmo" orders. */
  broken: boolean;
  /** Run a service on `queue` until `until` holds (or the timeout). */
  serve(queue: QueueAdapter, until: () => boolean, timeoutMs?: number): Promise<void>;
  readonly recorder: OutcomeRecorder;
}

const DAY = 86_400_000;

/** A fixture whose SQLite file `dir/queues.db` holds queue `name` after a service ran on it. */
export async function makeFixture(
  queue: (dir: string) => Promise<QueueAdapter>,
  recorderFile?: string,
): Promise<Fixture & { queue: QueueAdapter }> {
  const dir = await mkdtemp(join(tmpdir(), 'wsseq-console-'));
  const cast = await prepareCast(dir);
  const q = await queue(dir);
  const recorder = openOutcomeRecorder({ file: recorderFile ?? join(dir, 'queues.db') });
  const files = {
    serviceKey: join(cast.pkiDir, 'service.key'),
    serviceCert: join(cast.pkiDir, 'service.pem'),
    root: join(cast.pkiDir, 'root-ca.pem'),
    intermediate: join(cast.pkiDir, 'intermediate-ca.pem'),
  };
  const fixture: Fixture & { queue: QueueAdapter } = {
    dir,
    cast,
    files,
    handled: [],
    events: [],
    broken: true,
    queue: q,
    recorder,
    async serve(target, until, timeoutMs = 20_000) {
      const service: Service = createService({
        queue: target,
        mode: 'Message',
        open: { serviceKeys: [cast.service], trust: cast.trust },
        maxRetries: 0,
        receiveWaitMs: 20,
        handler: ({ body }) => {
          if (fixture.broken && body.includes('gizmo'))
            throw new Error('the stock database is down');
          fixture.handled.push(/<m:Item>([^<]*)</.exec(body)?.[1] ?? '?');
        },
        onEvent: (event) => {
          fixture.events.push(event);
          recorder.listener(target.name)(event);
        },
      });
      service.start();
      const deadline = Date.now() + timeoutMs;
      while (!until() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await service.stop();
    },
  };
  return fixture;
}

/** Send the demo-like set: 2 accepted, 1 handler failure, 2 untrusted (one with markup), 1 tampered. */
export async function sendDemoMessages(f: Fixture, queue: QueueAdapter): Promise<void> {
  const { cast } = f;
  const now = Date.now();
  const evil = await issueCertificate({
    subject: `CN=${XSS_SUBJECT}, O=Evil`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    eku: [EKU.clientAuth],
  });
  const send = (
    signer: {
      certificate: DemoCast['alice']['certificate'];
      privateKey: DemoCast['alice']['privateKey'];
    },
    item: string,
    rewrite?: (s: string) => string,
  ) => {
    const client = createClient({
      queue: rewrite
        ? {
            name: queue.name,
            send: (body, o) => queue.send(Buffer.from(rewrite(body.toString('utf8'))), o),
          }
        : queue,
      mode: 'Message',
      secure: {
        credential: certificateCredential(signer),
        serviceCertificate: cast.service.certificate,
      },
    });
    return client.send(order(item), { ttlMs: 3_600_000 });
  };
  await send(cast.alice, 'widget');
  await send(cast.bob, 'bolt');
  await send(cast.alice, 'gizmo');
  await send(cast.mallory, 'stolen');
  await send(evil, 'evil');
  await send(cast.alice, 'tampered', (s) =>
    s.replace(
      /(<wsu:Expires>)(\d{4})/,
      (_m, tag: string, y: string) => `${tag}${String(Number(y) + 1)}`,
    ),
  );
  await writeFile(join(f.dir, 'sent'), 'ok');
}
