import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteQueue } from '../../../src/transport/queue/sqlite-queue.js';
import { describeModes } from './mode-suite.js';

let dir: string | undefined;

describeModes(
  'the embedded SQLite queue',
  async (name) => {
    dir ??= await mkdtemp(join(tmpdir(), 'wsseq-modes-'));
    return openSqliteQueue({ file: join(dir, 'queues.db'), name });
  },
  async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  },
);
