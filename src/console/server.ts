/**
 * The operator console's web server (hono on node:http, or node:https for mutual TLS).
 *
 * Security, plainly: it listens on 127.0.0.1 unless told otherwise; every request but the
 * sign-in form and the stylesheet needs a session (opened by one of the tokens printed at
 * start) or a client certificate the TrustStore validates; viewers read, operators act;
 * every POST carries the CSRF token bound to its session (HMAC of the session id under a
 * per-process secret) and a same-origin `Origin`/`Sec-Fetch-Site` when the browser sends one;
 * every response carries a strict Content-Security-Policy (scripts and styles from the
 * console only, no inline script) and `no-store`. It logs nothing about messages.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { getRequestListener } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.js';
import { createAuthority } from './auth.js';
import type { Authority, ConsoleTokens, Principal } from './auth.js';
import type { AuditAction, AuditLog } from './audit.js';
import type { OutcomeReader } from './outcomes.js';
import { ConsoleError } from './types.js';
import type { MessageSummary, QueueAdmin } from './types.js';
import { claimedSender, summarizeMessage } from './summary.js';
import { rerunVerdict } from './verdict.js';
import type { VerdictOptions } from './verdict.js';
import {
  confirmPage,
  layout,
  loginPage,
  messagePage,
  messagesPage,
  problemPage,
  queuesPage,
  unauthorizedPage,
} from './pages.js';
import type { PageContext } from './pages.js';
import { html } from './html.js';
import type { TrustStore } from '../trust/validate.js';

const COOKIE = 'wsseq_console';
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const ACTIONS: readonly AuditAction[] = ['retry', 'move', 'delete', 'purge'];

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  readonly admin: QueueAdmin;
  readonly audit: AuditLog;
  readonly outcomes: OutcomeReader;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Default: fresh random tokens. */
  readonly tokens?: ConsoleTokens;
  /** The service's keys and trust, for the verdict re-run (operators only). */
  readonly verdict?: VerdictOptions;
  /** Mutual TLS: the console's certificate and key (PEM) and the operators' trust. */
  readonly tls?: {
    readonly cert: string;
    readonly key: string;
    readonly clientTrust: TrustStore;
    /** SHA-256 thumbprints (hex) of operator certificates; other valid ones are viewers. */
    readonly operatorThumbprints: readonly string[];
  };
  /** How often pages poll the counts, in ms. Default 2000. */
  readonly refreshMs?: number;
  /** Minutes on the chart. Default 30. */
  readonly chartMinutes?: number;
}

/** A running console. */
export interface RunningConsole {
  readonly url: string;
  readonly tokens: ConsoleTokens;
  close(): Promise<void>;
}

type Env = { Bindings: HttpBindings; Variables: { principal: Principal } };

/** Start the console; resolves once it listens. */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const host = options.host ?? '127.0.0.1';
  const tokens = options.tokens ?? (await import('./auth.js')).generateTokens();
  const authority = createAuthority({
    tokens,
    ...(options.tls
      ? {
          clientTrust: options.tls.clientTrust,
          operatorThumbprints: options.tls.operatorThumbprints,
        }
      : {}),
  });
  const app = createApp(options, authority);
  const handle = getRequestListener(app.fetch);
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res);
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          requestCert: true,
          rejectUnauthorized: false,
        },
        listener,
      )
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shown}:${String(port)}`,
    tokens,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** What the helpers below read of a request. */
interface RequestView {
  readonly req: { header(name: string): string | undefined; readonly method: string };
  readonly env: HttpBindings;
}

function createApp(options: ConsoleOptions, authority: Authority): Hono<Env> {
  const { admin, audit, outcomes } = options;
  const app = new Hono<Env>();
  const secure = options.tls !== undefined;

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on POSTs.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cache-Control', 'no-store');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
  });

  app.get('/static/console.css', (c) =>
    c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );
  app.get('/login', (c) => c.html(loginPage(false)));
  app.post('/login', async (c) => {
    if (!sameOrigin(c)) return c.text('cross-site request refused', 403);
    const form = await c.req.parseBody();
    const token = typeof form['token'] === 'string' ? form['token'] : '';
    const role = authority.roleOfToken(token);
    if (role === undefined) return c.html(loginPage(true), 401);
    const id = authority.openSession(role);
    setCookie(c, COOKIE, id, { httpOnly: true, sameSite: 'Strict', path: '/', secure });
    return c.redirect('/', 303);
  });

  // Everything below needs a principal.
  app.use(
    '*',
    createMiddleware<Env>(async (c, next) => {
      const principal = await authenticate(c, getCookie(c, COOKIE), authority);
      if (!principal) {
        return c.req.path.startsWith('/api/')
          ? c.json({ error: 'Unauthorized' }, 401)
          : c.html(unauthorizedPage(), 401);
      }
      c.set('principal', principal);
      if (c.req.method === 'POST') {
        const form = await c.req.parseBody();
        const csrf = typeof form['csrf'] === 'string' ? form['csrf'] : undefined;
        if (!sameOrigin(c) || !authority.checkCsrf(principal, csrf)) {
          return c.html(
            problemPage(
              undefined,
              'Refused',
              'The form was not sent by this console (CSRF check failed).',
            ),
            403,
          );
        }
      }
      await next();
      return undefined;
    }),
  );

  const pageContext = (c: Context<Env>): PageContext => {
    const principal = c.get('principal');
    return {
      principal,
      csrf: authority.csrfToken(principal),
      backend: admin.backend,
      refreshMs: options.refreshMs ?? 2000,
    };
  };

  const withSender = (m: MessageSummary, body: Buffer | undefined) => ({
    ...m,
    sender: body === undefined ? undefined : claimedSender(summarizeMessage(body, m.properties)),
    attempts: outcomes.attemptsOf(m.id),
  });

  app.get('/static/console.js', (c) =>
    c.body(CONSOLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
  );
  app.post('/logout', (c) => {
    authority.closeSession(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  app.get('/', async (c) =>
    c.html(queuesPage(pageContext(c), await admin.listQueues(), c.req.query('done'))),
  );
  app.get('/api/queues', async (c) => c.json(await admin.listQueues()));
  app.get('/api/rates', (c) => c.json(outcomes.rates(options.chartMinutes ?? 30)));

  app.get('/messages', async (c) => {
    const queues = await admin.listQueues();
    const subQueues = queues.flatMap((q) => [q.poisonQueue, q.deadLetterQueue]);
    const allQueues = queues.flatMap((q) => [q.name, q.poisonQueue, q.deadLetterQueue]);
    const queue = c.req.query('queue') || undefined;
    const code = c.req.query('code') || undefined;
    const listed = queue === undefined ? subQueues : [queue];
    const messages: ReturnType<typeof withSender>[] = [];
    const codes = new Set<string>();
    for (const name of listed) {
      for (const m of await admin.listMessages(name)) {
        if (m.code !== undefined) codes.add(m.code);
        if (code !== undefined && m.code !== code) continue;
        messages.push(withSender(m, m.body));
      }
    }
    const heading = queue === undefined ? 'Rejected messages' : `Messages in ${queue}`;
    return c.html(
      messagesPage(
        pageContext(c),
        heading,
        messages,
        { queue, code, codes: [...codes].sort(), queues: allQueues },
        c.req.query('done'),
      ),
    );
  });

  app.get('/message', async (c) => {
    const ctx = pageContext(c);
    const queue = c.req.query('queue') ?? '';
    const id = c.req.query('id') ?? '';
    const m = await admin.peek(queue, id);
    if (!m)
      return c.html(
        problemPage(ctx, 'Not found', 'No such message (it may have been handled or moved).'),
        404,
      );
    const summary = summarizeMessage(m.body, m.properties);
    let verdict;
    let note: string | undefined;
    if (ctx.principal.role !== 'operator') {
      note = 'The verdict re-run and the opened Body are for operators.';
    } else if (!options.verdict) {
      note =
        'Start the console with the service key (--service-key/--service-cert, --trust) to re-run the verdict.';
    } else if (!summary.soap) {
      note = 'Not a SOAP envelope as queued: the verdict cannot be re-run here.';
    } else {
      verdict = await rerunVerdict(m.body, m.code, m.enqueuedAt, options.verdict);
    }
    return c.html(messagePage(ctx, withSender(m, m.body), summary, verdict, note));
  });

  app.get('/confirm', (c) => {
    const ctx = pageContext(c);
    if (ctx.principal.role !== 'operator')
      return c.html(problemPage(ctx, 'Forbidden', 'Viewers cannot act.'), 403);
    const action = ACTIONS.find((a) => a === c.req.query('action'));
    const queue = c.req.query('queue');
    if (action === undefined || queue === undefined || queue === '') {
      return c.html(problemPage(ctx, 'Bad request', 'Unknown action.'), 400);
    }
    const id = action === 'purge' ? undefined : c.req.query('id');
    const target = action === 'move' ? c.req.query('target') : undefined;
    const text = {
      retry: `Send message ${id ?? ''} from ${queue} back to the queue it came from?`,
      move: `Move message ${id ?? ''} from ${queue} to ${target ?? ''}?`,
      delete: `Delete message ${id ?? ''} from ${queue}? This cannot be undone.`,
      purge: `Delete every message of ${queue} that no receiver holds? This cannot be undone.`,
    }[action];
    return c.html(confirmPage(ctx, action, { queue, id, target }, text));
  });

  app.post('/action', async (c) => {
    const ctx = pageContext(c);
    const { principal } = ctx;
    if (principal.role !== 'operator')
      return c.html(problemPage(ctx, 'Forbidden', 'Viewers cannot act.'), 403);
    const form = await c.req.parseBody();
    const field = (name: string): string | undefined => {
      const v = form[name];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const action = ACTIONS.find((a) => a === field('action'));
    const queue = field('queue');
    const id = field('id');
    const target = field('target');
    if (
      action === undefined ||
      queue === undefined ||
      field('confirm') !== 'yes' ||
      (action !== 'purge' && id === undefined) ||
      (action === 'move' && target === undefined)
    ) {
      return c.html(problemPage(ctx, 'Bad request', 'Incomplete or unconfirmed action.'), 400);
    }
    const entry = {
      who: principal.who,
      via: 'console' as const,
      action,
      queue,
      ...(id !== undefined && action !== 'purge' ? { messageId: id } : {}),
    };
    try {
      const done = await performAction(admin, action, queue, id ?? '', target ?? '');
      audit.append({ ...entry, ...done, outcome: 'done' });
      const back =
        action === 'purge'
          ? `/?done=purge`
          : `/messages?queue=${encodeURIComponent(queue)}&done=${action}`;
      return c.redirect(back, 303);
    } catch (err) {
      if (err instanceof ConsoleError) {
        audit.append({
          ...entry,
          ...(target !== undefined ? { target } : {}),
          outcome: 'failed',
          code: err.code,
        });
        return c.html(problemPage(ctx, 'Not done', `${err.code}: ${err.message}`), 409);
      }
      throw err;
    }
  });

  app.notFound((c) => c.html(layout(undefined, 'Not found', html`<p>No such page.</p>`), 404));
  app.onError((_err, c) =>
    // No detail: an error may carry message content.
    c.html(layout(undefined, 'Error', html`<p>The console could not do that.</p>`), 500),
  );
  return app;
}

/** Do an operator action; what to add to its audit entry. */
export async function performAction(
  admin: QueueAdmin,
  action: AuditAction,
  queue: string,
  id: string,
  target: string,
): Promise<{ target?: string; count?: number }> {
  switch (action) {
    case 'retry':
      return { target: await admin.retry(queue, id) };
    case 'move':
      await admin.move(queue, id, target);
      return { target };
    case 'delete':
      await admin.delete(queue, id);
      return {};
    case 'purge':
      return { count: await admin.purge(queue) };
  }
}

async function authenticate(
  c: RequestView,
  cookie: string | undefined,
  authority: Authority,
): Promise<Principal | undefined> {
  const session = authority.session(cookie);
  if (session) return session;
  const socket = c.env.incoming.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate === 'function') {
    const peer = socket.getPeerCertificate(false);
    if (peer.raw instanceof Buffer) return authority.certificate(peer.raw);
  }
  // Read-only API access with a token: `Authorization: Bearer <token>` (GET only).
  const header = c.req.header('authorization');
  if (c.req.method === 'GET' && header?.startsWith('Bearer ')) {
    const role = authority.roleOfToken(header.slice(7));
    if (role !== undefined) return { role, who: `token:${role}:bearer`, binding: 'bearer' };
  }
  return undefined;
}

/** A browser's cross-site POST is refused (Origin or Sec-Fetch-Site); absent headers pass. */
function sameOrigin(c: RequestView): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  const incoming: IncomingMessage = c.env.incoming;
  const hostHeader = incoming.headers.host;
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}
