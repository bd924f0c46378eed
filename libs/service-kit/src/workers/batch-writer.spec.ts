import { AsyncLocalStorage } from 'node:async_hooks';

import { BatchWriter } from './batch-writer';

describe('BatchWriter', () => {
  it('given items submitted together, when written, then they go out in one write and each submitter learns it', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>(async (items) => {
      writes.push(items);
    });
    await Promise.all([1, 2, 3].map((n) => writer.submit(n)));
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('given a write in flight, when more items arrive, then they form the next write at once', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const writer = new BatchWriter<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = writer.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = [writer.submit(2), writer.submit(3)];
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3]]);
  });

  it('given more items than a batch holds, when submitted, then they are split into full batches', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>(async (items) => void writes.push(items), { maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => writer.submit(n)));
    expect(writes).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('given one bad item in a batch, when the batch fails, then the others still commit and only it is rejected', async () => {
    const committed: number[] = [];
    const writer = new BatchWriter<number>(async (items) => {
      if (items.includes(2)) throw new Error('item 2 breaks the write');
      committed.push(...items);
    });
    const results = await Promise.allSettled([1, 2, 3].map((n) => writer.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed).toEqual([1, 3]);
  });

  it('given a linger, when items arrive within it, then they share the write', async () => {
    const writes: number[][] = [];
    const writer = new BatchWriter<number>(async (items) => void writes.push(items), { lingerMs: 30 });
    const first = writer.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([first, writer.submit(2)]);
    expect(writes).toEqual([[1, 2]]);
  });
});

describe('BatchWriter contexts', () => {
  it('runs each item’s work in the async context it was submitted from, and the batch in neither', async () => {
    const order = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const writer = new BatchWriter<string>(
      async (items, inItsContext) => {
        seen.push(`batch:${order.getStore() ?? 'none'}`);
        for (const [index, item] of items.entries()) {
          await inItsContext(index, async () => {
            await Promise.resolve();
            seen.push(`${item}:${order.getStore() ?? 'none'}`);
          });
        }
      },
      { lingerMs: 5 },
    );
    await Promise.all([
      order.run('order-a', () => writer.submit('a')),
      order.run('order-b', () => writer.submit('b')),
    ]);
    expect(seen).toEqual(['batch:none', 'a:order-a', 'b:order-b']);
  });
});
