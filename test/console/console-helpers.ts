/** Starting the console over a fixture, and a real Chromium (Debian's) to drive it. */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { openAuditLog } from '../../src/console/audit.js';
import { openOutcomeReader } from '../../src/console/outcomes.js';
import { startConsole } from '../../src/console/server.js';
import type { RunningConsole } from '../../src/console/server.js';
import type { QueueAdmin } from '../../src/console/types.js';
import type { Fixture } from './fixture.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Where screenshots go (gitignored). */
export const ARTIFACTS = join(import.meta.dirname, 'artifacts');

export async function launchBrowser(): Promise<BrowserContext> {
  await mkdir(ARTIFACTS, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), 'wsseq-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The console over `admin`, with the fixture's service key and trust for the verdict. */
export function startFixtureConsole(
  f: Fixture,
  admin: QueueAdmin,
  outcomesFile: string | undefined,
): Promise<RunningConsole> {
  return startConsole({
    admin,
    audit: openAuditLog(join(f.dir, 'audit.jsonl')),
    outcomes: openOutcomeReader(outcomesFile),
    verdict: { serviceKeys: [f.cast.service], trust: f.cast.trust },
    refreshMs: 300,
  });
}
