/** Shared set-up for the host, mode and HTTPS tests: clients and services on the test PKI. */
import { certificateCredential } from '../../../src/credentials/x509.js';
import { createClient } from '../../../src/host/create-client.js';
import type { Client, QueueSink } from '../../../src/host/create-client.js';
import { createService } from '../../../src/host/create-service.js';
import type { ServiceOptions, ServiceRequest } from '../../../src/host/create-service.js';
import type { ServiceEvent } from '../../../src/host/events.js';
import type { SecurityMode } from '../../../src/transport/modes.js';
import type { QueueAdapter } from '../../../src/transport/queue/types.js';
import { TrustStore } from '../../../src/trust/validate.js';
import type { TrustOptions } from '../../../src/trust/validate.js';
import { TEST_NOW, testOpener } from '../../helpers.js';
import type { TestCredential, TestPki } from '../../helpers.js';

export function transportTrust(pki: TestPki, extra: TrustOptions = {}): TrustStore {
  return new TrustStore({
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
    ...extra,
  });
}

export interface TestClientOptions {
  readonly signer?: TestCredential;
  readonly transport?: TestCredential;
  readonly encryptFor?: TestCredential;
  readonly now?: Date;
}

/** A client in `mode` for the test service, as alice unless told otherwise. */
export function testClient(
  pki: TestPki,
  queue: QueueSink,
  mode: SecurityMode,
  options: TestClientOptions = {},
): Client {
  const signer = options.signer ?? pki.client;
  const transport = options.transport ?? pki.client;
  const now = options.now ?? TEST_NOW;
  const message = mode === 'Message' || mode === 'Both';
  const hop = mode === 'Transport' || mode === 'Both';
  return createClient({
    queue,
    mode,
    now: () => now,
    ...(message
      ? {
          secure: {
            credential: certificateCredential({
              certificate: signer.certificate,
              privateKey: signer.privateKey,
            }),
            serviceCertificate: pki.service.certificate,
            now: () => now,
          },
        }
      : {}),
    ...(hop ? { transportCredential: transport } : {}),
    ...(options.encryptFor ? { destinationCertificate: options.encryptFor.certificate } : {}),
  });
}

/** A sink into `queue` that keeps the last body sent (the secured bytes, to enqueue again). */
export function capturingSink(queue: QueueAdapter): QueueSink & { last(): Buffer } {
  let body: Buffer | undefined;
  return {
    name: queue.name,
    send: (sent, options) => {
      body = sent;
      return queue.send(sent, options);
    },
    last: () => {
      if (body === undefined) throw new Error('nothing was sent');
      return body;
    },
  };
}

/** Service options in `mode` for the test service (trusting the test root), pinned at TEST_NOW. */
export function testServiceOptions(
  pki: TestPki,
  queue: QueueAdapter,
  mode: SecurityMode,
): Omit<ServiceOptions, 'handler'> {
  return {
    queue,
    mode,
    opener: testOpener(pki),
    transportTrust: transportTrust(pki),
    transportKeys: [pki.service],
    now: () => TEST_NOW,
    receiveWaitMs: 50,
    retryDelayMs: 10,
  };
}

const TERMINAL = new Set<ServiceEvent['type']>([
  'accepted',
  'rejected',
  'poisoned',
  'dead-lettered',
  'faulted',
  'duplicate',
]);

export interface Run {
  readonly events: ServiceEvent[];
  readonly handled: ServiceRequest[];
}

/**
 * Run a service until `expected` messages reached a final outcome (accepted, rejected,
 * poisoned, dead-lettered, faulted, duplicate), then stop it.
 */
export async function runService(
  options: Omit<ServiceOptions, 'handler'> & { handler?: ServiceOptions['handler'] },
  expected: number,
  timeoutMs = 20_000,
): Promise<Run> {
  const events: ServiceEvent[] = [];
  const handled: ServiceRequest[] = [];
  const service = createService({
    ...options,
    handler: async (req) => {
      await options.handler?.(req);
      handled.push(req);
    },
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  service.start();
  const deadline = Date.now() + timeoutMs;
  while (events.filter((e) => TERMINAL.has(e.type)).length < expected) {
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`timed out; events so far: ${JSON.stringify(events.map((e) => e.type))}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await service.stop();
  return { events, handled };
}

/** The code of the one rejection event in a run. */
export function rejectionCodes(run: Run): string[] {
  return run.events.flatMap((e) => (e.type === 'rejected' ? [e.code] : []));
}
