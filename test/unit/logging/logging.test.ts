import { describe, expect, it } from 'vitest';
import { certificateCredential } from '../../../src/credentials/x509.js';
import { isWsseqError } from '../../../src/errors.js';
import { createClient } from '../../../src/host/create-client.js';
import { createService } from '../../../src/host/create-service.js';
import type { ServiceEvent } from '../../../src/host/events.js';
import type { Logger } from '../../../src/index.js';
import { createOpener } from '../../../src/open/open-envelope.js';
import { createSecurer } from '../../../src/secure/secure-envelope.js';
import { createWcfSecurer } from '../../../src/secure/wcf-layout.js';
import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { TrustStore } from '../../../src/trust/validate.js';
import { TEST_NOW, getTestPki, orderEnvelope } from '../../helpers.js';
import { PASSWORDS, secureWithUsername, usernameOpener } from '../username/helpers.js';

interface Line {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

/** A pino-shaped logger that keeps every line. */
function capturingLogger(): Logger & { readonly lines: Line[] } {
  const lines: Line[] = [];
  const at =
    (level: Line['level']) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWsseqError(err)) throw new Error('expected a WsseqError');
  return err.code;
}

describe('logger option: opener and securer', () => {
  it('one info line per accepted message, one warn line with the code per rejection', async () => {
    const pki = await getTestPki();
    const logger = capturingLogger();
    const opener = await usernameOpener(pki, {}, {}, { logger });
    const wire = secureWithUsername(pki, orderEnvelope('1.2'));
    await opener.open(wire);
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'info',
      obj: {
        event: 'wsseq.accepted',
        credentialType: 'UserName',
        identity: 'alice',
        signed: ['Body', 'Timestamp', 'UsernameToken'],
        encrypted: ['Body', 'UsernameToken'],
        soapVersion: '1.2',
        bytes: Buffer.byteLength(wire),
      },
    });
    expect(typeof logger.lines[0]?.obj.durationMs).toBe('number');

    const wrongPassword = secureWithUsername(pki, orderEnvelope(), {
      password: 'not-her-password',
    });
    const code = await rejection(opener.open(wrongPassword));
    const tampered = wire.replace(
      /(<wsu:Created>\d{4}-\d\d-\d\dT\d\d:\d\d:)(\d)/,
      (_m, a: string, d: string) => `${a}${String((Number(d) + 1) % 6)}`,
    );
    expect(tampered).not.toBe(wire);
    const tamperedCode = await rejection(opener.open(tampered));
    expect(
      logger.lines.slice(1).map((l) => [l.level, l.obj.event, l.obj.code, l.obj.fault]),
    ).toEqual([
      ['warn', 'wsseq.rejected', code, expect.stringMatching(/^wsse:/)],
      ['warn', 'wsseq.rejected', tamperedCode, expect.stringMatching(/^wsse:/)],
    ]);
  });

  it('the securer logs one line per secured message; no logger, no lines and the same result', async () => {
    const pki = await getTestPki();
    const logger = capturingLogger();
    const options = {
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
      now: () => TEST_NOW,
    };
    const wire = createSecurer({ ...options, logger }).secure(orderEnvelope());
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'info',
      obj: { event: 'wsseq.secured', bytes: Buffer.byteLength(wire) },
    });
    expect(typeof logger.lines[0]?.obj.durationMs).toBe('number');
    const opener = createOpener({
      serviceKeys: [pki.service],
      trust: new TrustStore({
        trustedRoots: [pki.root.certificate],
        intermediates: [pki.intermediate.certificate],
      }),
      now: () => TEST_NOW,
    });
    const plain = createSecurer(options).secure(orderEnvelope());
    await expect(opener.open(plain)).resolves.toBeDefined();
  });

  it('the WCF securer logs one line per secured message, and the same message without a logger', async () => {
    const pki = await getTestPki();
    const logger = capturingLogger();
    const options = {
      layout: 'MutualCertificate10' as const,
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
      now: () => TEST_NOW,
    };
    const secret = 'SECRET-WCF-BODY-41d2';
    const wire = createWcfSecurer({ ...options, logger }).secure(orderEnvelope('1.2', secret));
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'info',
      obj: { event: 'wsseq.secured', bytes: Buffer.byteLength(wire) },
    });
    expect(typeof logger.lines[0]?.obj.durationMs).toBe('number');
    expect(JSON.stringify(logger.lines)).not.toContain(secret);
    const plain = createWcfSecurer(options).secure(orderEnvelope('1.2', secret));
    expect(plain).not.toContain(secret);
    expect(logger.lines).toHaveLength(1);
  });

  it('no line carries the password, a private key or the Body of an encrypted message', async () => {
    const pki = await getTestPki();
    const logger = capturingLogger();
    const opener = await usernameOpener(pki, {}, {}, { logger });
    const secret = 'SECRET-BODY-TEXT-7f3a';
    const withSecret = orderEnvelope('1.1', secret);
    createSecurer({
      credential: certificateCredential(pki.client),
      serviceCertificate: pki.service.certificate,
      now: () => TEST_NOW,
      logger,
    }).secure(withSecret);
    await opener.open(secureWithUsername(pki, withSecret));
    const wrongPassword = 'a-wrong-password-9c1e';
    await rejection(opener.open(secureWithUsername(pki, withSecret, { password: wrongPassword })));
    await rejection(
      opener.open(
        secureWithUsername(pki, withSecret, { username: 'mallory', password: wrongPassword }),
      ),
    );
    expect(logger.lines.map((l) => l.obj.event)).toEqual([
      'wsseq.secured',
      'wsseq.accepted',
      'wsseq.rejected',
      'wsseq.rejected',
    ]);
    const text = JSON.stringify(logger.lines);
    for (const forbidden of [
      PASSWORDS.alice ?? '',
      wrongPassword,
      secret,
      'PRIVATE KEY',
      pki.client.privateKeyPem.split('\n')[1] ?? '',
      pki.service.privateKeyPem.split('\n')[1] ?? '',
    ]) {
      expect(forbidden).not.toBe('');
      expect(text).not.toContain(forbidden);
    }
  });

  it('a logger without info, warn and error is caller misuse', async () => {
    const pki = await getTestPki();
    const bad = { info: () => undefined, warn: () => undefined };
    const credential = certificateCredential(pki.client);
    const queue = createMemoryQueue(`log-misuse-${String(process.pid)}`);
    const builds: (() => unknown)[] = [
      () =>
        createOpener({
          serviceKeys: [pki.service],
          trust: new TrustStore({ trustedRoots: [] }),
          logger: bad as never,
        }),
      () =>
        createSecurer({
          credential,
          serviceCertificate: pki.service.certificate,
          logger: bad as never,
        }),
      () =>
        createWcfSecurer({
          layout: 'MutualCertificate11',
          credential,
          serviceCertificate: pki.service.certificate,
          logger: bad as never,
        }),
      () => createClient({ queue, mode: 'None', logger: bad as never }),
      () => createService({ queue, mode: 'None', handler: () => undefined, logger: bad as never }),
    ];
    for (const build of builds) expect(build).toThrow(TypeError);
    expect(() => createClient({ queue, mode: 'None', logger: capturingLogger() })).not.toThrow();
  });
});

describe('logger option: host', () => {
  it('the service logs its events (accepted, rejected with its code); the client each send', async () => {
    const pki = await getTestPki();
    const logger = capturingLogger();
    const queue = createMemoryQueue(`log-host-${String(process.pid)}`);
    const events: ServiceEvent[] = [];
    let settled = 0;
    let done: () => void = () => undefined;
    const twoSettled = new Promise<void>((resolve) => {
      done = resolve;
    });
    const service = createService({
      queue,
      mode: 'Message',
      opener: await usernameOpener(pki),
      handler: () => undefined,
      errorMode: 'Drop',
      logger,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'accepted' || event.type === 'rejected') settled += 1;
        if (settled === 2) done();
      },
    });
    const sender = createClient({ queue, mode: 'None', logger });
    await sender.send(secureWithUsername(pki, orderEnvelope()));
    await sender.send(secureWithUsername(pki, orderEnvelope(), { password: 'wrong-password-x' }));
    service.start();
    try {
      await twoSettled;
    } finally {
      await service.stop();
    }
    const rejected = events.find((e) => e.type === 'rejected');
    const byEvent = (name: string) => logger.lines.filter((l) => l.obj.event === name);
    expect(byEvent('wsseq.sent')).toHaveLength(2);
    expect(byEvent('wsseq.accepted')).toMatchObject([
      { level: 'info', obj: { identity: 'alice' } },
    ]);
    expect(byEvent('wsseq.rejected')).toMatchObject([
      { level: 'warn', obj: { code: rejected?.type === 'rejected' ? rejected.code : 'none' } },
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain('wrong-password-x');
  });
});
