import { createFakeQueue } from '../host/fake-queue.js';
import { describeModes } from './mode-suite.js';

describeModes('a fake in-memory queue', (name) => Promise.resolve(createFakeQueue(name)));
