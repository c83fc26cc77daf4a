/**
 * The console's authentication without a browser: mutual TLS with operator certificates
 * validated by the TrustStore (operator, viewer, untrusted, none), CSRF on a certificate
 * session, security headers, and the pieces (escaping, CSRF tokens, listen addresses).
 */
import { request } from 'node:https';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteQueue } from '../../src/transport/queue/sqlite-queue.js';
import { openSqliteAdmin } from '../../src/console/admin-sqlite.js';
import { openAuditLog } from '../../src/console/audit.js';
import { createAuthority, generateTokens } from '../../src/console/auth.js';
import { escapeHtml, html } from '../../src/console/html.js';
import { openOutcomeReader } from '../../src/console/outcomes.js';
import { startConsole } from '../../src/console/server.js';
import type { RunningConsole } from '../../src/console/server.js';
import type { QueueAdmin } from '../../src/console/types.js';
import { parseListen } from '../../src/cli/console-command.js';
import { makeFixture } from './fixture.js';
import type { Fixture } from './fixture.js';
import type { QueueAdapter } from '../../src/transport/queue/types.js';
import type { Certificate } from '../../src/trust/certificate.js';

interface Pair {
  readonly certificate: Certificate;
  readonly privateKey: KeyObject;
}

function get(
  url: string,
  client: Pair | undefined,
  method = 'GET',
  body = '',
): Promise<{ status: number; text: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        rejectUnauthorized: false,
        ...(client
          ? {
              cert: client.certificate.toPem(),
              key: client.privateKey.export({ type: 'pkcs8', format: 'pem' }),
            }
          : {}),
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('mutual TLS with operator certificates', () => {
  let f: Fixture & { queue: QueueAdapter };
  let admin: QueueAdmin;
  let server: RunningConsole;

  beforeAll(async () => {
    f = await makeFixture((dir) =>
      Promise.resolve(openSqliteQueue({ file: join(dir, 'queues.db'), name: 'orders' })),
    );
    await f.queue.send(Buffer.from('<x/>'));
    admin = openSqliteAdmin({ file: join(f.dir, 'queues.db') });
    server = await startConsole({
      admin,
      audit: openAuditLog(join(f.dir, 'audit.jsonl')),
      outcomes: openOutcomeReader(undefined),
      tls: {
        cert: f.cast.service.certificate.toPem(),
        key: f.cast.service.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        clientTrust: f.cast.trust,
        operatorThumbprints: [f.cast.alice.certificate.thumbprintSha256],
      },
    });
  });

  afterAll(async () => {
    await server.close();
    await admin.close();
    await f.queue.close();
    f.recorder.close();
  });

  it('serves an operator certificate as operator and another valid one as viewer', async () => {
    const alice = await get(`${server.url}/`, f.cast.alice);
    expect(alice.status).toBe(200);
    expect(alice.text).toContain('CN=alice');
    expect(alice.text).toContain('operator');
    const bob = await get(`${server.url}/confirm?action=purge&queue=orders`, f.cast.bob);
    expect(bob.status).toBe(403);
    expect(
      (await get(`${server.url}/confirm?action=purge&queue=orders`, f.cast.alice)).status,
    ).toBe(200);
  });

  it('refuses an untrusted certificate and no certificate (401)', async () => {
    expect((await get(`${server.url}/`, f.cast.mallory)).status).toBe(401);
    expect((await get(`${server.url}/api/queues`, undefined)).status).toBe(401);
  });

  it('still needs the CSRF token bound to the certificate for an action', async () => {
    const form = new URLSearchParams({ action: 'purge', queue: 'orders', confirm: 'yes' });
    expect((await get(`${server.url}/action`, f.cast.alice, 'POST', form.toString())).status).toBe(
      403,
    );
    const page = await get(`${server.url}/`, f.cast.alice);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    form.set('csrf', csrf);
    const done = await get(`${server.url}/action`, f.cast.alice, 'POST', form.toString());
    expect(done.status).toBe(303);
    expect((await admin.listQueues()).find((q) => q.name === 'orders')?.depth ?? 0).toBe(0);
    expect(String(done.headers['content-security-policy'])).toContain("default-src 'none'");
  });
});

describe('console pieces', () => {
  it('escapes every interpolation, and only once', () => {
    const evil = `<script>"x" & 'y'</script>`;
    expect(html`<td>${evil}</td>`.text).toBe(`<td>${escapeHtml(evil)}</td>`);
    expect(escapeHtml(evil)).not.toMatch(/[<>"']/);
    expect(html`<p>${html`<b>${evil}</b>`}</p>`.text).toBe(`<p><b>${escapeHtml(evil)}</b></p>`);
    expect(html`<i title="${'" onmouseover="x'}"></i>`.text).not.toContain('" onmouseover');
  });

  it('binds CSRF tokens to their session and accepts only the right tokens', () => {
    const tokens = generateTokens();
    const authority = createAuthority({ tokens });
    expect(authority.roleOfToken(tokens.operator)).toBe('operator');
    expect(authority.roleOfToken(tokens.viewer)).toBe('viewer');
    expect(authority.roleOfToken(`${tokens.operator}x`)).toBeUndefined();
    expect(authority.roleOfToken('')).toBeUndefined();
    const a = authority.session(authority.openSession('operator'))!;
    const b = authority.session(authority.openSession('operator'))!;
    expect(authority.checkCsrf(a, authority.csrfToken(a))).toBe(true);
    expect(authority.checkCsrf(a, authority.csrfToken(b))).toBe(false);
    expect(authority.checkCsrf(a, undefined)).toBe(false);
    expect(() => createAuthority({ tokens: { viewer: 'short', operator: 'short' } })).toThrow(
      TypeError,
    );
  });

  it('ends idle sessions', () => {
    let now = 0;
    const authority = createAuthority({
      tokens: generateTokens(),
      sessionTtlMs: 1000,
      now: () => new Date(now),
    });
    const id = authority.openSession('viewer');
    now = 999;
    expect(authority.session(id)?.role).toBe('viewer');
    now = 2000;
    expect(authority.session(id)).toBeUndefined();
  });

  it('parses --listen', () => {
    expect(parseListen('127.0.0.1:8470')).toEqual({ host: '127.0.0.1', port: 8470 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(() => parseListen('8470')).toThrow();
    expect(() => parseListen('127.0.0.1:99999')).toThrow();
  });
});
