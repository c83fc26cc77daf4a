/**
 * MSMQ over HTTPS, wsseq style: clients post their messages to an HTTPS gateway that requires
 * client certificates and enqueues what it accepts on the embedded queue; the service runs in
 * `Both` mode, so the TLS client certificate (attested by the gateway) and the certificate
 * that signed the message must be the same one.
 *
 *   node --import tsx samples/https-hop/run.ts
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateCredential, isWsseqError } from 'wsseq';
import { createClient, createHttpsGateway, createHttpsQueueSink, createService } from 'wsseq/host';
import type { ServiceEvent, TransportCredential } from 'wsseq/host';
import { openSqliteQueue } from 'wsseq/queue/sqlite';
import { sampleCast } from '../shared/dev-pki.js';

const HOST = 'orders.localhost';

/** Run the sample; returns each step's outcome: 'accepted' or a rejection code. */
export async function runHttpsHopSample(
  dir: string,
  write: (line: string) => void,
): Promise<string[]> {
  const cast = await sampleCast(dir);
  const file = join(dir, 'https-queues.db');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) await rm(f, { force: true });
  const queue = openSqliteQueue({ file, name: 'orders.both' });
  const gateway = await createHttpsGateway({
    key: cast.service.privateKey,
    cert: cast.service.certificate,
    chain: [cast.intermediate.certificate],
    queue,
    clientCertificate: 'Require',
    trust: cast.trust,
  });
  write(`gateway listening at ${gateway.url} (client certificates required)`);

  const events: ServiceEvent[] = [];
  const service = createService({
    queue,
    mode: 'Both',
    open: { serviceKeys: [cast.service], trust: cast.trust },
    transportTrust: cast.trust,
    trustedGateways: [cast.service.certificate],
    receiveWaitMs: 50,
    handler: ({ context }) => {
      write(
        `  service: order from ${context.identity?.name ?? '?'} (TLS and message certificate agree)`,
      );
    },
    onEvent: (e) => events.push(e),
  });
  service.start();

  const order =
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    '<PlaceOrder xmlns="urn:example:orders"><Item>widget</Item></PlaceOrder></soap:Body></soap:Envelope>';
  const send = (
    tls: TransportCredential | undefined,
    signer: TransportCredential,
    expectedHost = HOST,
  ): Promise<string> =>
    createClient({
      queue: createHttpsQueueSink({
        url: gateway.url,
        ca: cast.root.certificate,
        expectedHost,
        ...(tls ? { key: tls.privateKey, cert: tls.certificate } : {}),
        destination: queue.name,
      }),
      mode: 'Message',
      secure: {
        credential: certificateCredential(signer),
        serviceCertificate: cast.service.certificate,
      },
    }).send(order);

  const outcomes: string[] = [];
  const waitFor = async (id: string): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const e = events.find((x) => 'messageId' in x && x.messageId === id);
      if (e?.type === 'accepted') return 'accepted';
      if (e && 'code' in e) return e.code;
      await new Promise((r) => setTimeout(r, 50));
    }
    return 'no outcome';
  };
  const step = async (title: string, run: () => Promise<string>): Promise<void> => {
    write(`→ ${title}`);
    let outcome: string;
    try {
      outcome = await waitFor(await run());
    } catch (err) {
      if (!isWsseqError(err)) throw err;
      outcome = err.code;
      write(`  refused before anything was enqueued: ${err.code} (${err.message})`);
    }
    if (outcome !== 'accepted') write(`  ✘ ${outcome}`);
    outcomes.push(outcome);
  };
  try {
    await step('alice: TLS client certificate alice, message signed by alice', () =>
      send(cast.alice, cast.alice),
    );
    await step('bob on TLS, message signed by alice (Both: must be one certificate)', () =>
      send(cast.bob, cast.alice),
    );
    await step("mallory's certificate from an unknown CA on TLS", () =>
      send(cast.mallory, cast.mallory),
    );
    await step('no client certificate at all', () => send(undefined, cast.alice));
    await step('alice, but the gateway is not the host she meant (name mismatch)', () =>
      send(cast.alice, cast.alice, 'payments.localhost'),
    );
  } finally {
    await service.stop();
    await gateway.close();
    await queue.close();
  }
  return outcomes;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const outcomes = await runHttpsHopSample('.wsseq-demo', (l) => process.stdout.write(`${l}\n`));
  process.stdout.write(`outcomes: ${outcomes.join(', ')}\n`);
}
