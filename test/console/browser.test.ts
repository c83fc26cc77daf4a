/**
 * The console in a real browser (Debian's chromium, driven by playwright-core) over queues
 * filled like the demo's: queues and counts, a poison message and its reason, the verdict
 * re-run, a retry that puts it back and gets it handled, a viewer who cannot act, no access
 * without authentication, no action without the CSRF token, markup in a message inert.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { openSqliteQueue } from '../../src/transport/queue/sqlite-queue.js';
import type { QueueAdapter } from '../../src/transport/queue/types.js';
import { openSqliteAdmin } from '../../src/console/admin-sqlite.js';
import type { QueueAdmin } from '../../src/console/types.js';
import type { RunningConsole } from '../../src/console/server.js';
import { XSS, makeFixture, sendDemoMessages } from './fixture.js';
import type { Fixture } from './fixture.js';
import { ARTIFACTS, hasChromium, launchBrowser, startFixtureConsole } from './console-helpers.js';

const SCRIPT_REASON = '<script>window.__xss=2</script>';

let f: Fixture & { queue: QueueAdapter };
let admin: QueueAdmin;
let server: RunningConsole;
let browser: BrowserContext;
let page: Page;
let file: string;
/** Dialogs a script in the page opened (an alert from injected markup). */
const dialogs: string[] = [];

async function signIn(token: string): Promise<void> {
  await browser.clearCookies();
  await page.goto(`${server.url}/login`);
  await page.fill('input[name=token]', token);
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')]);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function noScriptRan(): Promise<void> {
  expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
  expect(dialogs).toEqual([]);
}

describe.skipIf(!hasChromium)('console in a browser', () => {
  beforeAll(async () => {
    f = await makeFixture((dir) =>
      Promise.resolve(openSqliteQueue({ file: join(dir, 'queues.db'), name: 'orders.message' })),
    );
    file = join(f.dir, 'queues.db');
    await sendDemoMessages(f, f.queue);
    await f.serve(f.queue, () => f.events.length >= 6);
    // A rejection whose recorded reason is markup.
    const other = openSqliteQueue({ file, name: 'orders.other' });
    await other.send(Buffer.from('<not-soap/>'));
    await (await other.receive())!.poison('SignatureInvalid', `${SCRIPT_REASON}${XSS}`);
    await other.close();
    admin = openSqliteAdmin({ file });
    server = await startFixtureConsole(f, admin, file);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
    await admin.close();
    await f.queue.close();
    f.recorder.close();
  });

  it('refuses every request without authentication (401)', async () => {
    for (const path of [
      '/',
      '/api/queues',
      '/messages',
      '/message?queue=x&id=y',
      '/static/console.js',
    ]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(401);
    }
    const res = await page.goto(`${server.url}/`);
    expect(res?.status()).toBe(401);
    const bad = await fetch(`${server.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ token: 'not-a-token' }),
    });
    expect(bad.status).toBe(401);
  });

  it('shows the queues and their counts, and draws the chart with the console script', async () => {
    await signIn(server.tokens.operator);
    const row = page.locator('tr[data-queue="orders.message"]');
    await expect
      .poll(() => row.locator('[data-count="orders.message|poison"]').textContent())
      .toBe('4');
    expect(await row.locator('[data-count="orders.message|depth"]').textContent()).toBe('0');
    expect(
      await page
        .locator('tr[data-queue="orders.other"] [data-count="orders.other|poison"]')
        .textContent(),
    ).toBe('1');
    // The chart is drawn by /static/console.js (the CSP allows no inline script).
    await page.waitForSelector('#chart rect[data-rejected]', { state: 'attached' });
    await expect
      .poll(() => page.locator('#totals').textContent())
      .toContain('2 accepted, 4 rejected');
    await shot('queues');
  });

  it('lists rejected messages with code, reason and sender, filtered by code; markup is inert', async () => {
    await page.goto(`${server.url}/messages`);
    const codes = await page.locator('#messages tbody tr td:nth-child(3)').allTextContents();
    expect(codes.sort()).toEqual([
      'CertificateUntrusted',
      'CertificateUntrusted',
      'HandlerFailed',
      'SignatureInvalid',
      'SignatureInvalid',
    ]);
    // The signer's subject with markup is shown as text, and nothing ran.
    // The subject as the library renders it (RFC 4514 escapes '<' and '>' with a backslash).
    expect(await page.locator('#messages').textContent()).toContain('alert(1)\\</script\\>');
    expect(await page.locator('#messages').textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('#messages b').count()).toBe(0);
    expect(await page.locator('#messages').textContent()).toContain(SCRIPT_REASON);
    expect(await page.locator('#messages img').count()).toBe(0);
    expect(await page.locator('#messages script').count()).toBe(0);
    await noScriptRan();
    await shot('rejected-messages');
    await page.selectOption('select[name=code]', 'HandlerFailed');
    await Promise.all([page.waitForURL(/code=HandlerFailed/), page.click('.filters button')]);
    expect(await page.locator('#messages tbody tr').count()).toBe(1);
  });

  it('opens a poison message: its reason, its security summary and the verdict with today’s trust', async () => {
    await page.click('#messages tbody tr a');
    expect(await page.locator('[data-field=code]').textContent()).toBe('HandlerFailed');
    expect(await page.locator('[data-field=reason]').textContent()).toBe(
      'the stock database is down',
    );
    expect(await page.locator('[data-field=credential]').textContent()).toBe('Certificate');
    expect(await page.locator('#summary [data-field=subject]').textContent()).toContain('CN=alice');
    expect(await page.locator('[data-field=body-encrypted]').textContent()).toBe('yes');
    expect(await page.locator('#verdict-sentence').textContent()).toBe(
      'rejected then as HandlerFailed; would now be accepted',
    );
    expect(await page.locator('#opened-body').textContent()).toContain('gizmo');
    await shot('message');
  });

  it('opens the untrusted signer with markup in its subject: rendered as text, would still be rejected', async () => {
    const messages = await admin.listMessages('orders.message;poison');
    for (const m of messages.filter((x) => x.code === 'CertificateUntrusted')) {
      await page.goto(
        `${server.url}/message?queue=${encodeURIComponent(m.queue)}&id=${encodeURIComponent(m.id)}`,
      );
      expect(await page.locator('#verdict-sentence').textContent()).toBe(
        'rejected then as CertificateUntrusted; would now be rejected as CertificateUntrusted',
      );
      expect(await page.locator('#opened-body').count()).toBe(0);
    }
    expect(messages.filter((x) => x.code === 'CertificateUntrusted')).toHaveLength(2);
    const other = (await admin.listMessages('orders.other;poison'))[0]!;
    await page.goto(
      `${server.url}/message?queue=${encodeURIComponent(other.queue)}&id=${encodeURIComponent(other.id)}`,
    );
    expect(await page.locator('[data-field=reason]').textContent()).toBe(`${SCRIPT_REASON}${XSS}`);
    expect(await page.locator('main img, main script').count()).toBe(0);
    await noScriptRan();
    const csp = (await fetch(`${server.url}/login`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('retries a poison message after confirmation: back in its queue, handled, audited; the chart follows', async () => {
    const gizmo = (await admin.listMessages('orders.message;poison')).find(
      (m) => m.code === 'HandlerFailed',
    )!;
    await page.goto(
      `${server.url}/message?queue=${encodeURIComponent(gizmo.queue)}&id=${encodeURIComponent(gizmo.id)}`,
    );
    await page.click('#actions a:has-text("Retry")');
    expect(await page.locator('#confirm-text').textContent()).toContain('back to the queue');
    await shot('confirm');
    // Nothing happens before the confirmation.
    expect(await admin.peek('orders.message;poison', gizmo.id)).toBeDefined();
    await Promise.all([page.waitForURL(/done=retry/), page.click('#confirm')]);
    expect(await page.locator('[data-done=retry]').count()).toBe(1);
    expect(await admin.peek('orders.message;poison', gizmo.id)).toBeUndefined();
    expect((await admin.peek('orders.message', gizmo.id))?.code).toBeUndefined();

    await page.goto(`${server.url}/`);
    await expect
      .poll(() => page.locator('[data-count="orders.message|depth"]').textContent())
      .toBe('1');
    await expect.poll(() => page.locator('#totals').textContent()).toContain('2 accepted');
    f.broken = false;
    await f.serve(f.queue, () => f.handled.includes('gizmo'));
    expect(f.handled).toContain('gizmo');
    // The page updates itself: the counts and the chart, without a reload.
    await expect
      .poll(() => page.locator('[data-count="orders.message|depth"]').textContent())
      .toBe('0');
    await expect
      .poll(() => page.locator('[data-count="orders.message|poison"]').textContent())
      .toBe('3');
    await expect.poll(() => page.locator('#totals').textContent()).toContain('3 accepted');

    const audit = (await readFile(join(f.dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'retry',
        queue: 'orders.message;poison',
        messageId: gizmo.id,
        target: 'orders.message',
        outcome: 'done',
        via: 'console',
      }),
    );
    expect(String(audit.at(-1)?.['who'])).toMatch(/^token:operator:/);
    expect(typeof audit.at(-1)?.['at']).toBe('string');
  });

  it('refuses a forged action without the session’s CSRF token', async () => {
    const target = (await admin.listMessages('orders.message;poison'))[0]!;
    const cookie = (await browser.cookies()).find((c) => c.name === 'wsseq_console')!;
    const post = (fields: Record<string, string>) =>
      fetch(`${server.url}/action`, {
        method: 'POST',
        headers: { cookie: `wsseq_console=${cookie.value}` },
        body: new URLSearchParams(fields),
        redirect: 'manual',
      });
    const fields = { action: 'delete', queue: target.queue, id: target.id, confirm: 'yes' };
    expect((await post(fields)).status).toBe(403);
    expect((await post({ ...fields, csrf: 'forged' })).status).toBe(403);
    expect(await admin.peek(target.queue, target.id)).toBeDefined();
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    expect((await post({ ...fields, csrf })).status).toBe(303);
    expect(await admin.peek(target.queue, target.id)).toBeUndefined();
  });

  it('lets a viewer read but not act', async () => {
    await signIn(server.tokens.viewer);
    const [m] = await admin.listMessages('orders.message;poison');
    await page.goto(
      `${server.url}/message?queue=${encodeURIComponent(m!.queue)}&id=${encodeURIComponent(m!.id)}`,
    );
    expect(await page.locator('[data-field=code]').textContent()).toBe(m!.code);
    expect(await page.locator('#actions').count()).toBe(0);
    expect(await page.locator('#verdict-sentence').count()).toBe(0);
    expect(await page.locator('#opened-body').count()).toBe(0);
    await shot('viewer-message');
    const confirm = await page.goto(
      `${server.url}/confirm?action=delete&queue=${encodeURIComponent(m!.queue)}&id=${encodeURIComponent(m!.id)}`,
    );
    expect(confirm?.status()).toBe(403);
    await page.goto(`${server.url}/`);
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const cookie = (await browser.cookies()).find((c) => c.name === 'wsseq_console')!;
    const res = await fetch(`${server.url}/action`, {
      method: 'POST',
      headers: { cookie: `wsseq_console=${cookie.value}` },
      body: new URLSearchParams({
        action: 'delete',
        queue: m!.queue,
        id: m!.id,
        confirm: 'yes',
        csrf,
      }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(await admin.peek(m!.queue, m!.id)).toBeDefined();
  });
});
