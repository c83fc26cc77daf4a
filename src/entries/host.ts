/**
 * `wsseq/host`: the client and service host, security modes, transport security, the
 * in-memory queue and the HTTPS hop. Queue adapters backed by a broker or a database are in
 * `wsseq/queue/sqlite` and `wsseq/queue/rabbitmq`. Re-exports only.
 */
export { createClient } from '../host/create-client.js';
export type { ClientOptions, Client, ClientSendOptions, QueueSink } from '../host/create-client.js';
export { createService } from '../host/create-service.js';
export type {
  ServiceOptions,
  Service,
  ServiceRequest,
  ServiceHandler,
  ServiceStopped,
} from '../host/create-service.js';
export type { ServiceContext, AuthorizeHook } from '../host/accept-message.js';
export type { ServiceContract } from '../host/contract.js';
export type { ServiceEvent } from '../host/events.js';
export { HANDLER_FAILED } from '../host/events.js';
export type { ReceiveErrorHandling } from '../host/dispose.js';
export { REJECT_DISPOSITION_PROPERTY } from '../host/dispose.js';

export { createMemoryQueue } from '../transport/queue/memory-queue.js';
export type { MemoryQueueOptions } from '../transport/queue/memory-queue.js';
export type {
  QueueAdapter,
  QueueConnectionEvent,
  QueuedMessage,
  Delivery,
  SendOptions,
  ReceiveOptions,
} from '../transport/queue/types.js';
export { QUEUE_PROPERTY } from '../transport/queue/types.js';
export { DEAD_LETTER_EXPIRED } from '../transport/queue/shared.js';

export type { SecurityMode } from '../transport/modes.js';
export {
  protectTransportMessage,
  verifyTransportMessage,
  TRANSPORT_PROPERTY,
} from '../transport/transport-security.js';
export type {
  TransportCredential,
  VerifiedTransportMessage,
} from '../transport/transport-security.js';
export { createHttpsGateway } from '../transport/https-gateway.js';
export type {
  HttpsGatewayOptions,
  HttpsGateway,
  ClientCertificateMode,
  GatewayOutcome,
} from '../transport/https-gateway.js';
export { sendOverHttps, createHttpsQueueSink } from '../transport/https-sender.js';
export type { HttpsSendOptions, HttpsHopOptions } from '../transport/https-sender.js';
