import { createMemoryQueue } from '../../../src/transport/queue/memory-queue.js';
import { describeModes } from './mode-suite.js';

describeModes('the in-memory queue', (name) => Promise.resolve(createMemoryQueue(name)));
