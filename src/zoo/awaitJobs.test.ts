import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { awaitJobs, SWEEP_MS, type JobWatch } from './awaitJobs.js';

type State = 'waiting' | 'active' | 'completed' | 'failed' | 'unknown';

/** A queue of job states in memory, its events, and a count of the state reads (the Redis traffic). */
function fakeQueue(states: Record<string, State>) {
  let events: string[] = [];
  let wake: (() => void) | undefined;
  const reads = { state: 0, job: 0 };
  const watch: JobWatch = {
    take: () => {
      const e = events;
      events = [];
      return e;
    },
    next: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      }),
    reconnects: () => 0,
    close: async () => undefined,
  };
  return {
    reads,
    watch,
    queue: {
      getJobState: async (id: string) => {
        reads.state++;
        return states[id] ?? 'unknown';
      },
    },
    fetch: async (id: string) => {
      reads.job++;
      return { id, returnvalue: `r-${id}` } as unknown as Job<unknown, string>;
    },
    /** Sets a job's state; with `event`, as BullMQ does, tells the watchers. */
    set: (id: string, s: State, event = true) => {
      states[id] = s;
      if (event) {
        events.push(id);
        wake?.();
      }
    },
  };
}

describe('awaitJobs', () => {
  it('finishes each job once, on its event; a failed event of a job retried since leaves it pending; few state reads', async () => {
    const q = fakeQueue({ a: 'waiting', b: 'waiting', c: 'completed' });
    const finished: string[] = [];
    const wait = awaitJobs(q.queue, q.watch, new Set(['a', 'b', 'c']), {
      first: ['c'],
      fetch: q.fetch,
      onFinished: async (id, state, job) => {
        finished.push(`${id}:${state}:${String(job.returnvalue)}`);
      },
      gone: (id) => new Error(`gone ${id}`),
    });
    await new Promise((r) => setTimeout(r, 20));
    q.set('a', 'completed');
    q.set('b', 'failed', false);
    q.set('b', 'waiting'); // the failed event arrives after BullMQ put it back for another attempt
    await new Promise((r) => setTimeout(r, 20));
    expect(finished).toEqual(['c:completed:r-c', 'a:completed:r-a']);
    q.set('b', 'failed');
    await wait;
    expect(finished).toEqual(['c:completed:r-c', 'a:completed:r-a', 'b:failed:r-b']);
    expect(q.reads.job).toBe(3);
    expect(q.reads.state).toBeLessThanOrEqual(5); // one per look, none per job per poll
  });

  it('a job that finished without an event is found by the sweep; a job gone from Redis is an error', async () => {
    const q = fakeQueue({ a: 'active' });
    const wait = awaitJobs(q.queue, q.watch, new Set(['a']), {
      fetch: q.fetch,
      onFinished: async () => undefined,
      gone: (id) => new Error(`gone ${id}`),
    });
    q.set('a', 'completed', false);
    const t0 = Date.now();
    await wait;
    expect(Date.now() - t0).toBeLessThan(3 * SWEEP_MS + 500);
    const g = fakeQueue({ x: 'waiting' });
    const gone = awaitJobs(g.queue, g.watch, new Set(['x']), {
      fetch: g.fetch,
      onFinished: async () => undefined,
      gone: (id) => new Error(`gone ${id}`),
    });
    g.set('x', 'unknown', false);
    await expect(gone).rejects.toThrow('gone x');
  });
});
