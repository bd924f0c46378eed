/** What the consumer does with one message of a fetched batch, decided before any I/O. */
export type MessageWork = 'handle' | 'skip' | 'dead-letter';

export type BatchStep<T> = { kind: 'transaction'; items: T[] } | { kind: 'dead-letter'; item: T };

/**
 * Cuts a partition's batch, in partition order, into the transactions that handle it: consecutive
 * messages share one transaction of at most `maxPerTransaction` messages with work (skipped ones ride
 * along for free, so their offsets move with their neighbours'). An invalid message is a step of its
 * own between two transactions: it is dead-lettered after everything before it has committed, so its
 * offset is never resolved ahead of an uncommitted message. Pure, so the cutting is unit-tested.
 */
export function planBatch<T>(
  items: readonly T[],
  workOf: (item: T) => MessageWork,
  maxPerTransaction: number,
): Array<BatchStep<T>> {
  if (!Number.isInteger(maxPerTransaction) || maxPerTransaction < 1) {
    throw new Error(`maxPerTransaction must be a positive integer, got ${maxPerTransaction}`);
  }
  const steps: Array<BatchStep<T>> = [];
  let open: T[] = [];
  let withWork = 0;
  const close = () => {
    if (open.length > 0) steps.push({ kind: 'transaction', items: open });
    open = [];
    withWork = 0;
  };
  for (const item of items) {
    const work = workOf(item);
    if (work === 'dead-letter') {
      close();
      steps.push({ kind: 'dead-letter', item });
      continue;
    }
    if (work === 'handle' && withWork === maxPerTransaction) close();
    open.push(item);
    if (work === 'handle') withWork += 1;
  }
  close();
  return steps;
}
