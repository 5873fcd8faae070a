// Files read and prefiltered on several cores. The main thread lists, counts and reports, and reads
// too; worker threads read and search in batches, a few batches ahead. Answers are taken in the order
// of the listing, so the findings, the counts and the errors are the same whatever the number of jobs.
//
// Worth it only for a long read: a worker costs tens of milliseconds of a core to start, and on a
// two-core machine a tree read in half a second came out slower with one (measured: 0.64 s against
// 0.57 s for 77 MB in 9,500 files). So the main thread starts alone, and workers join once it has read
// for POOL_LIMITS.startAfterMs and, at its pace so far, has at least as long again to read. Below
// POOL_LIMITS.minFiles, or where the worker script is missing (running from the TypeScript sources),
// files are read on the main thread alone.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { workerThreads } from '../../builtin.js';
import { readPlain, type Plain } from './quick-read.js';
import type { ReadAnswer, ReadBatch, ReadReady } from './read-worker.js';

export const POOL_LIMITS = {
  /** fewer files than this are read on the main thread */
  minFiles: 1000,
  /** files per message */
  batch: 64,
  /** workers start once the main thread has read for this long and has at least as long left to read (KEYGUARD_POOL_AFTER_MS)… */
  startAfterMs: 400,
  /** …with at least this many batches left */
  minBatchesLeft: 16,
  /** batches each worker holds at once */
  ahead: 2,
  /** never more threads than this, whatever --jobs says */
  maxJobs: 16,
};

const WORKER = new URL('./read-worker.js', import.meta.url);

/** Workers started in this process (for tests: the pool was really used). */
export const poolStats = { workers: 0 };

/** `--jobs`, else KEYGUARD_JOBS, else the number of cores. */
function jobsFrom(given: number | undefined, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.KEYGUARD_JOBS);
  const n = given ?? (Number.isInteger(fromEnv) && fromEnv >= 1 ? fromEnv : availableParallelism());
  return Math.max(1, Math.min(n, POOL_LIMITS.maxJobs));
}

/** How the read is shared out: `jobs` threads in all, workers joining after `startAfterMs` of reading. */
export interface PoolPlan {
  jobs: number;
  startAfterMs: number;
}

/** `--jobs` or KEYGUARD_JOBS; KEYGUARD_POOL_AFTER_MS, else POOL_LIMITS.startAfterMs (0: workers from the start). */
export function poolPlan(given: number | undefined, env: NodeJS.ProcessEnv): PoolPlan {
  const after =
    env.KEYGUARD_POOL_AFTER_MS !== undefined && /^\d+$/.test(env.KEYGUARD_POOL_AFTER_MS) ? Number(env.KEYGUARD_POOL_AFTER_MS) : POOL_LIMITS.startAfterMs;
  return { jobs: jobsFrom(given, env), startAfterMs: after };
}

export interface PoolFile {
  /** where to open it: absolute, or relative to the working directory */
  path: string;
  display: string;
}

/** The files to read, made a batch at a time (a tree's listing is held as relative paths only). */
export interface FileList {
  readonly length: number;
  slice(from: number, to: number): PoolFile[];
}

/**
 * What each file holds, in the order given, a batch at a time (one await per batch, not per file);
 * read on `jobs` threads (this one and jobs - 1 workers) when that pays.
 */
export async function* readAll(files: FileList, needles: readonly string[], plan: PoolPlan): AsyncGenerator<Plain[]> {
  const { jobs } = plan;
  if (jobs <= 1 || files.length < POOL_LIMITS.minFiles || !existsSync(fileURLToPath(WORKER))) {
    for (let at = 0; at < files.length; at += POOL_LIMITS.batch) yield here(files.slice(at, at + POOL_LIMITS.batch), needles);
    return;
  }
  yield* pooled(files, needles, plan);
}

function here(files: readonly PoolFile[], needles: readonly string[]): Plain[] {
  return files.map((f) => readPlain(f.path, f.display, needles));
}

/**
 * Batches are handed out in order: to the workers, a few ahead each, and to the main thread, which
 * reads the next one nobody has while it waits for an answer. So `jobs` threads work in all (jobs - 1
 * workers and the main thread), no batch is read twice, and the answers held at any time are bounded
 * by the batches in flight, not by the size of the tree.
 */
async function* pooled(files: FileList, needles: readonly string[], { jobs, startAfterMs }: PoolPlan): AsyncGenerator<Plain[]> {
  const size = POOL_LIMITS.batch;
  const batches = Math.ceil(files.length / size);
  const slice = (id: number) => files.slice(id * size, (id + 1) * size);
  const answers = new Map<number, Plain[]>();
  let wake: (() => void) | undefined;
  /** the next batch nobody has taken */
  let next = 0;
  const workers: Worker[] = [];
  const inFlight = new Map<Worker, Set<number>>();
  const sendTo = (w: Worker): void => {
    const mine = inFlight.get(w)!;
    while (mine.size < POOL_LIMITS.ahead && next < batches) {
      const id = next++;
      mine.add(id);
      const batch: ReadBatch = { id, files: slice(id).flatMap((f) => [f.path, f.display]) };
      w.postMessage(batch);
    }
  };
  // a worker that fails (it could not start, or threw) hands its batches back to the main thread
  const failed = new Set<number>();
  const startWorkers = (): void => {
    for (let j = 0; j < jobs - 1; j++) {
      const w = new (workerThreads().Worker)(WORKER, { workerData: { needles: [...needles] } });
      poolStats.workers++;
      workers.push(w);
      inFlight.set(w, new Set());
      // batches go to a worker once it has loaded; until then the main thread reads them itself
      w.on('message', (a: ReadAnswer | ReadReady) => {
        if ('id' in a) {
          inFlight.get(w)!.delete(a.id);
          answers.set(a.id, a.plain);
        }
        sendTo(w);
        wake?.();
      });
      w.on('error', () => {
        for (const id of inFlight.get(w)!) failed.add(id);
        inFlight.get(w)!.clear();
        workers.splice(workers.indexOf(w), 1);
        wake?.();
      });
    }
  };
  // (Date.now, not performance.now: the first use of `performance` loads ten of Node's modules, 1.3 ms)
  const started = Date.now();
  let workersStarted = false;
  try {
    for (let id = 0; id < batches; id++) {
      while (!answers.has(id) && !failed.has(id)) {
        if (id >= next) {
          // not given to a worker: it is the main thread's now; then let a worker say it is ready
          next = Math.max(next, id + 1);
          answers.set(id, here(slice(id), needles));
          if (!workersStarted && batches - next >= POOL_LIMITS.minBatchesLeft) {
            // as long again still to read, at the pace so far: the workers have time to pay for their start
            const elapsed = Date.now() - started;
            if (elapsed >= startAfterMs && (elapsed * (batches - next)) / next >= startAfterMs) {
              workersStarted = true;
              startWorkers();
            }
          }
          if (workers.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        } else if (next < batches && answers.size < jobs * POOL_LIMITS.ahead) {
          // waiting: read the next batch nobody has, then let the workers' answers in (they come as events)
          const mine = next++;
          answers.set(mine, here(slice(mine), needles));
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else if (workers.length === 0) {
          failed.add(id);
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      }
      const got = answers.get(id);
      answers.delete(id);
      yield got ?? here(slice(id), needles);
    }
  } finally {
    for (const w of workers) void w.terminate();
  }
}
