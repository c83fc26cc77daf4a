/**
 * The console's pages, server-rendered. Every value from a queue or a message goes through
 * the escaping `html` template; forms that act carry the session's CSRF token and go through
 * a confirmation page first.
 */
import { html, query } from './html.js';
import type { SafeHtml } from './html.js';
import type { Principal } from './auth.js';
import type { MessageSummary, QueueSummary } from './types.js';
import type { CertificateSummary, SecuritySummary } from './summary.js';
import type { Reverdict, VerdictRun } from './verdict.js';

/** What every page knows about the request. */
export interface PageContext {
  readonly principal: Principal;
  readonly csrf: string;
  readonly backend: string;
  readonly refreshMs: number;
}

export function layout(ctx: PageContext | undefined, title: string, content: SafeHtml): string {
  const nav = ctx
    ? html`<a href="/">Queues</a><a href="/messages">Rejected messages</a>
        <span class="who">${ctx.principal.who} · ${ctx.principal.role} · ${ctx.backend}</span>
        <form class="inline" method="post" action="/logout">
          <input type="hidden" name="csrf" value="${ctx.csrf}" /><button type="submit">
            Sign out
          </button>
        </form>`
    : html``;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · wsseq console</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="stylesheet" href="/static/console.css" />
        <script src="/static/console.js" defer></script>
      </head>
      <body data-refresh-ms="${ctx?.refreshMs ?? 0}">
        <header><strong>wsseq console</strong>${nav}</header>
        <main>
          <h1>${title}</h1>
          ${content}
        </main>
      </body>
    </html>`.text;
}

export function loginPage(failed: boolean): string {
  return layout(
    undefined,
    'Sign in',
    html`${failed ? html`<p class="error">That token is not valid.</p>` : ''}
      <form method="post" action="/login">
        <p>
          <label
            >Token (printed when the console started)<br />
            <input type="password" name="token" size="50" autocomplete="off" autofocus
          /></label>
        </p>
        <p><button type="submit">Sign in</button></p>
      </form>`,
  );
}

export function unauthorizedPage(): string {
  return layout(
    undefined,
    'Sign-in required',
    html`<p>Sign in first: <a href="/login">sign in</a>.</p>`,
  );
}

export function problemPage(ctx: PageContext | undefined, title: string, text: string): string {
  return layout(ctx, title, html`<p class="error">${text}</p>`);
}

const NOTICES: Readonly<Record<string, string>> = {
  retry: 'The message was sent back to its queue.',
  move: 'The message was moved.',
  delete: 'The message was deleted.',
  purge: 'The queue was purged.',
};

function notice(done: string | undefined): SafeHtml {
  const text = done === undefined ? undefined : NOTICES[done];
  return text === undefined ? html`` : html`<p class="notice" data-done="${done}">${text}</p>`;
}

export function queuesPage(
  ctx: PageContext,
  queues: readonly QueueSummary[],
  done: string | undefined,
): string {
  const operator = ctx.principal.role === 'operator';
  const count = (
    q: QueueSummary,
    field: 'depth' | 'inFlight' | 'poison' | 'deadLetter',
  ): SafeHtml => html`<td class="num" data-count="${q.name}|${field}">${q[field] ?? '—'}</td>`;
  const rows = queues.map(
    (q) =>
      html`<tr data-queue="${q.name}">
        <td><a href="/messages${query({ queue: q.name })}">${q.name}</a></td>
        ${count(q, 'depth')}${count(q, 'inFlight')}
        <td class="num">
          <a href="/messages${query({ queue: q.poisonQueue })}" data-count="${q.name}|poison"
            >${q.poison}</a
          >
        </td>
        <td class="num">
          <a
            href="/messages${query({ queue: q.deadLetterQueue })}"
            data-count="${q.name}|deadLetter"
            >${q.deadLetter}</a
          >
        </td>
        <td>${operator ? purgeButtons(q) : html`<span class="muted">viewer</span>`}</td>
      </tr>`,
  );
  return layout(
    ctx,
    'Queues',
    html`${notice(done)}
      <table id="queues">
        <thead>
          <tr>
            <th>Queue</th>
            <th class="num">Depth</th>
            <th class="num">In flight</th>
            <th class="num">Poison</th>
            <th class="num">Dead letter</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length > 0
              ? rows
              : html`<tr>
                  <td colspan="6" class="muted">No queues yet.</td>
                </tr>`
          }
        </tbody>
      </table>
      <h2>Accepted and rejected per minute</h2>
      <p class="legend">
        <span><i class="swatch accepted"></i>accepted</span
        ><span><i class="swatch rejected"></i>rejected</span><span id="totals" class="muted"></span>
      </p>
      <svg
        id="chart"
        width="900"
        height="180"
        role="img"
        aria-label="accepted and rejected per minute"
      ></svg>`,
  );
}

function purgeButtons(q: QueueSummary): SafeHtml {
  const link = (queue: string, label: string): SafeHtml =>
    html`<a href="/confirm${query({ action: 'purge', queue })}">${label}</a>`;
  return html`${link(q.poisonQueue, 'purge poison')} ·
  ${link(q.deadLetterQueue, 'purge dead letter')} · ${link(q.name, 'purge queue')}`;
}

/** The rejected-messages page: messages of the listed queues, filtered by code. */
export function messagesPage(
  ctx: PageContext,
  heading: string,
  messages: readonly (MessageSummary & {
    sender: string | undefined;
    attempts: number | undefined;
  })[],
  filter: {
    queue: string | undefined;
    code: string | undefined;
    codes: readonly string[];
    queues: readonly string[];
  },
  done: string | undefined,
): string {
  const rows = messages.map(
    (m) =>
      html`<tr data-id="${m.id}">
        <td class="mono">${(m.movedAt ?? m.enqueuedAt).toISOString()}</td>
        <td>${m.queue}</td>
        <td class="bad">${m.code ?? ''}</td>
        <td>${m.reason ?? ''}</td>
        <td class="num">${m.attempts ?? '—'}</td>
        <td>${m.sender ?? ''}</td>
        <td>
          <a href="/message${query({ queue: m.queue, id: m.id })}">open</a
          >${m.inFlight ? html` <span class="muted">(in flight)</span>` : ''}
        </td>
      </tr>`,
  );
  const option = (value: string, selected: string | undefined): SafeHtml =>
    html`<option value="${value}" ${value === selected ? html` selected` : ''}>${value}</option>`;
  return layout(
    ctx,
    heading,
    html`${notice(done)}
      <form class="filters" method="get" action="/messages">
        <label
          >Queue
          <select name="queue">
            <option value="">all poison and dead-letter queues</option>
            ${filter.queues.map((q) => option(q, filter.queue))}
          </select></label
        >
        <label
          >Code
          <select name="code">
            <option value="">any</option>
            ${filter.codes.map((c) => option(c, filter.code))}
          </select></label
        >
        <button type="submit">Filter</button>
      </form>
      <table id="messages">
        <thead>
          <tr>
            <th>Time</th>
            <th>Queue</th>
            <th>Code</th>
            <th>Reason</th>
            <th class="num">Attempts</th>
            <th>Sender (claimed)</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length > 0
              ? rows
              : html`<tr>
                  <td colspan="7" class="muted">No messages.</td>
                </tr>`
          }
        </tbody>
      </table>`,
  );
}

function certificate(label: string, cert: CertificateSummary | undefined): SafeHtml {
  if (!cert) return html``;
  return html`<dt>${label} subject</dt>
    <dd data-field="subject">${cert.subject}</dd>
    <dt>${label} issuer</dt>
    <dd>${cert.issuer}</dd>
    <dt>${label} thumbprint (SHA-256)</dt>
    <dd class="mono">${cert.thumbprint}</dd>
    <dt>${label} validity</dt>
    <dd>
      ${cert.notBefore} – ${cert.notAfter}
      ${cert.currentlyValid ? html`<span class="ok">valid now</span>` : html`<span class="bad">not valid now</span>`}
    </dd>`;
}

function run(label: string, r: VerdictRun): SafeHtml {
  return r.ok
    ? html`<dt>${label}</dt>
        <dd>
          <span class="ok">accepted</span> — ${r.identity} (${r.credentialType}), signed
          ${r.signed.join(', ')}, encrypted ${r.encrypted.join(', ') || 'nothing'}
        </dd>`
    : html`<dt>${label}</dt>
        <dd><span class="bad">rejected</span> as <code>${r.code}</code></dd>`;
}

/** One message: what was recorded, the security summary, the verdict re-run and the actions. */
export function messagePage(
  ctx: PageContext,
  m: MessageSummary & { sender: string | undefined; attempts: number | undefined },
  s: SecuritySummary,
  verdict: Reverdict | undefined,
  verdictNote: string | undefined,
): string {
  const operator = ctx.principal.role === 'operator';
  const a = s.algorithms;
  const recorded = html`<dl class="facts" id="recorded">
    <dt>Queue</dt>
    <dd>${m.queue} (${m.kind})</dd>
    <dt>Message id</dt>
    <dd class="mono">${m.id}</dd>
    <dt>Enqueued</dt>
    <dd>${m.enqueuedAt.toISOString()}</dd>
    ${
      m.movedAt
        ? html`<dt>Moved here</dt>
            <dd>${m.movedAt.toISOString()}</dd>`
        : ''
    }
    <dt>Code</dt>
    <dd class="bad" data-field="code">${m.code ?? ''}</dd>
    <dt>Reason</dt>
    <dd data-field="reason">${m.reason ?? ''}</dd>
    <dt>Source queue</dt>
    <dd>${m.sourceQueue ?? ''}</dd>
    <dt>Attempts</dt>
    <dd>${m.attempts ?? '—'}</dd>
    <dt>Deliveries here</dt>
    <dd>${m.deliveryCount}${m.inFlight ? ' (in flight)' : ''}</dd>
  </dl>`;
  const summary = html`<dl class="facts" id="summary">
    <dt>Size</dt>
    <dd>${s.size} bytes</dd>
    ${
      s.problem
        ? html`<dt>Note</dt>
            <dd>${s.problem}</dd>`
        : ''
    }
    <dt>SOAP</dt>
    <dd>${s.soapVersion ?? 'not a SOAP envelope'}</dd>
    <dt>Credential type</dt>
    <dd data-field="credential">${s.credentialType}</dd>
    ${certificate('Signer', s.signer)}
    ${
      s.username !== undefined
        ? html`<dt>User name</dt>
            <dd>${s.username} (${s.passwordType ?? '?'})</dd>`
        : ''
    }
    ${
      s.issuedToken
        ? html`<dt>Issued token (unverified)</dt>
            <dd>issuer ${s.issuedToken.issuer}, subject ${s.issuedToken.subject}</dd>`
        : ''
    }
    ${certificate('Transport signer', s.transportSigner)}
    <dt>Signature</dt>
    <dd class="mono">${a.signature.join(' ') || '—'}</dd>
    <dt>Digest</dt>
    <dd class="mono">${a.digest.join(' ') || '—'}</dd>
    <dt>Canonicalization</dt>
    <dd class="mono">${a.canonicalization.join(' ') || '—'}</dd>
    <dt>Key transport</dt>
    <dd class="mono">${a.keyTransport.join(' ') || '—'}</dd>
    <dt>Encryption</dt>
    <dd class="mono">${a.encryption.join(' ') || '—'}</dd>
    <dt>Timestamp</dt>
    <dd>${s.timestamp ? `${s.timestamp.created ?? '?'} → ${s.timestamp.expires ?? '?'}` : '—'}</dd>
    <dt>Body encrypted</dt>
    <dd data-field="body-encrypted">${s.bodyEncrypted ? 'yes' : 'no'}</dd>
    <dt>Encrypted header elements</dt>
    <dd>${s.encryptedHeaderElements}</dd>
  </dl>`;
  const verdictPart = verdict
    ? html`<h2>Verdict with today's trust</h2>
        <p id="verdict-sentence"><strong>${verdict.sentence}</strong></p>
        <dl class="facts">
          ${run('Opened now', verdict.now)}${run('Opened as of its enqueue time', verdict.atEnqueue)}
        </dl>
        ${
          verdict.now.ok
            ? html`<h2>Body (decrypted; shown, never logged)</h2>
                <pre class="body" id="opened-body">${verdict.now.body}</pre>`
            : verdict.atEnqueue.ok
              ? html`<h2>Body (decrypted; shown, never logged)</h2>
                  <pre class="body" id="opened-body">${verdict.atEnqueue.body}</pre>`
              : ''
        }`
    : html`<p class="muted">${verdictNote ?? ''}</p>`;
  const actions = operator
    ? html`<h2>Actions</h2>
        <p id="actions">
          ${m.kind !== 'main' ? html`<a href="/confirm${query({ action: 'retry', queue: m.queue, id: m.id })}">Retry (back to ${m.sourceQueue ?? 'its queue'})</a> · ` : ''}
          <a href="/confirm${query({ action: 'delete', queue: m.queue, id: m.id })}">Delete</a>
        </p>
        <form method="get" action="/confirm">
          <input type="hidden" name="action" value="move" /><input
            type="hidden"
            name="queue"
            value="${m.queue}"
          /><input type="hidden" name="id" value="${m.id}" />
          <label>Move to queue <input type="text" name="target" required /></label>
          <button type="submit">Move…</button>
        </form>`
    : html`<p class="muted">Viewers cannot act on messages.</p>`;
  return layout(
    ctx,
    'Message',
    html`<h2>As recorded</h2>
      ${recorded}
      <h2>Security summary (read without decrypting; claims, not verified)</h2>
      ${summary}${verdictPart}${actions}`,
  );
}

/** The confirmation page: what will happen, and the form that does it. */
export function confirmPage(
  ctx: PageContext,
  action: string,
  fields: { queue: string; id: string | undefined; target: string | undefined },
  description: string,
): string {
  return layout(
    ctx,
    'Confirm',
    html`<p id="confirm-text">${description}</p>
      <form method="post" action="/action">
        <input type="hidden" name="csrf" value="${ctx.csrf}" />
        <input type="hidden" name="action" value="${action}" /><input
          type="hidden"
          name="queue"
          value="${fields.queue}"
        />
        ${fields.id !== undefined ? html`<input type="hidden" name="id" value="${fields.id}" />` : ''}
        ${fields.target !== undefined ? html`<input type="hidden" name="target" value="${fields.target}" />` : ''}
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" class="danger" id="confirm">Yes, ${action}</button>
        <a href="/">Cancel</a>
      </form>`,
  );
}
