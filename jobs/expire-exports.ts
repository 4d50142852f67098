import { runInWorker } from '../src/jobs/worker.js';

// Bree entry (DESIGN §5): each tick runs this file in a fresh worker thread; the logic is in src/jobs.
await runInWorker('expire-exports');
