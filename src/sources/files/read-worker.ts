// A worker thread of the read pool (read-pool.ts): reads the files it is sent and answers, per file,
// what quick-read.ts found. The trace buffers are moved, not copied, back to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { readPlain, type Plain } from './quick-read.js';

export interface ReadBatch {
  id: number;
  /** path to open and display path, in turn */
  files: string[];
}

export interface ReadAnswer {
  id: number;
  plain: Plain[];
}

/** The first message: the worker is loaded and takes batches from now on. */
export interface ReadReady {
  ready: true;
}

const needles = (workerData as { needles: string[] }).needles;

parentPort?.on('message', (batch: ReadBatch) => {
  const plain: Plain[] = [];
  const moved: ArrayBuffer[] = [];
  for (let i = 0; i < batch.files.length; i += 2) {
    const p = readPlain(batch.files[i]!, batch.files[i + 1]!, needles);
    if (p.kind === 'text' && p.trace) moved.push(p.trace.buffer as ArrayBuffer);
    plain.push(p);
  }
  const answer: ReadAnswer = { id: batch.id, plain };
  parentPort!.postMessage(answer, moved);
});
// (a batch sent before this would wait while the worker loads; the main thread reads it meanwhile)
parentPort?.postMessage({ ready: true } satisfies ReadReady);
