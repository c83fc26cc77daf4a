// A consumer project's ES module: every subpath compiles, and the main entry round-trips a
// message. Copied into a temporary project that installs the packed tarball.
import { readFileSync } from 'node:fs';
import {
  CertificateError,
  TrustStore,
  certificateCredential,
  createMemoryReplayCache,
  createOpener,
  createSecurer,
  isWsseqError,
} from 'wsseq';
import type { AnyWsseqError, OpenResult } from 'wsseq';
import { createMemoryQueue, createService } from 'wsseq/host';
import type { ServiceOptions } from 'wsseq/host';
import type { openSqliteQueue } from 'wsseq/queue/sqlite';
import type { openRabbitQueue } from 'wsseq/queue/rabbitmq';
import type { openSqliteReplayCache } from 'wsseq/replay/sqlite';
import { createRedisReplayCache } from 'wsseq/replay/redis';
import { policyFromWsdl } from 'wsseq/wsdl';
import { createDevelopmentPki, diagnoseCertificate } from 'wsseq/dev';

export type Peers = [typeof openSqliteQueue, typeof openRabbitQueue, typeof openSqliteReplayCache];
export type Options = ServiceOptions;

const pki = await createDevelopmentPki();
const securer = createSecurer({
  credential: certificateCredential(pki.client),
  serviceCertificate: pki.service.certificate,
});
const wire = securer.secure(
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Ping/></s:Body></s:Envelope>',
);
const opener = createOpener({
  serviceKeys: [pki.service],
  trust: new TrustStore({
    trustedRoots: [pki.root.certificate],
    intermediates: [pki.intermediate.certificate],
  }),
  replayCache: createMemoryReplayCache(),
});
const opened: OpenResult = await opener.open(wire);
const untrusted = createOpener({
  serviceKeys: [pki.service],
  trust: new TrustStore({ trustedRoots: [pki.service.certificate] }),
});
let code: AnyWsseqError['code'] | undefined;
try {
  await untrusted.open(wire);
} catch (err) {
  if (isWsseqError(err)) code = err.code;
  if (err instanceof CertificateError) code = err.code;
}
const wsdl = readFileSync(new URL('./contract.wsdl', import.meta.url), 'utf8');
console.log(
  JSON.stringify({
    name: opened.context.identity.name,
    rejected: code,
    functions: [createMemoryQueue, createService, createRedisReplayCache, diagnoseCertificate].map(
      (f) => typeof f,
    ),
    wsdl: typeof policyFromWsdl(wsdl, { binding: 'OrderQueue_Certificate' }),
  }),
);
