/**
 * The order of a batch's steps when the engine makes commits durable apart
 * from committing them (SQLite fsyncs its log after a synchronous=NORMAL
 * commit): the next batch runs while the fsync is under way, and a write is
 * answered only once a sync has covered it. The engine here records the steps
 * and holds each sync until the test lets it finish.
 */
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type BatchEngine, GroupCommit } from './group-commit.js';
import type { Database } from './schema.js';

function recordingEngine() {
  const steps: string[] = [];
  const syncs: { finish(): void; fail(error: Error): void }[] = [];
  let batch = 0;
  const engine: BatchEngine = {
    withConnection: (run) => run({} as Kysely<Database>),
    begin: async () => {
      steps.push(`begin ${++batch}`);
    },
    commit: async () => {
      steps.push(`commit ${batch}`);
    },
    durable: () =>
      new Promise<void>((resolve, reject) => {
        const number = batch;
        steps.push(`sync ${number} started`);
        syncs.push({
          finish: () => {
            steps.push(`sync ${number} done`);
            resolve();
          },
          fail: reject,
        });
      }),
    rollback: async () => {},
    savepoint: async () => {},
    release: async () => {},
    rollbackToSavepoint: async () => {},
    inTransaction: () => true,
  };
  return { engine, steps, syncs };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit with a separate sync', () => {
  it('runs the next batch during the sync and answers each write after its own sync', async () => {
    const { engine, steps, syncs } = recordingEngine();
    const writer = new GroupCommit(engine);
    const answered: string[] = [];
    const first = writer.run(async () => 'a').then((v) => answered.push(v));
    await settle();
    await settle();
    expect(steps).toEqual(['begin 1', 'commit 1', 'sync 1 started']);

    const second = writer.run(async () => 'b').then((v) => answered.push(v));
    await settle();
    await settle();
    // batch 2 committed while batch 1's sync is still running; nobody is answered yet
    expect(steps).toEqual([
      'begin 1',
      'commit 1',
      'sync 1 started',
      'begin 2',
      'commit 2',
      'sync 2 started',
    ]);
    expect(answered).toEqual([]);

    syncs[0]?.finish();
    await first;
    expect(answered).toEqual(['a']);
    syncs[1]?.finish();
    await second;
    expect(answered).toEqual(['a', 'b']);
  });

  it('rejects the writes of a batch whose sync fails, and goes on with the next', async () => {
    const { engine, syncs } = recordingEngine();
    const writer = new GroupCommit(engine);
    const lost = writer.run(async () => 'a');
    await settle();
    await settle();
    syncs[0]?.fail(new Error('EIO: fdatasync failed'));
    await expect(lost).rejects.toThrow('EIO');
    const next = writer.run(async () => 'b');
    await settle();
    await settle();
    syncs[1]?.finish();
    await expect(next).resolves.toBe('b');
  });
});
