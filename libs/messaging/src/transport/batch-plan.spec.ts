import { type BatchStep, type MessageWork, planBatch } from './batch-plan';

/** Messages named by their work: h = handle, s = skip (another service's type), d = dead-letter. */
const work: Record<string, MessageWork> = { h: 'handle', s: 'skip', d: 'dead-letter' };
const plan = (messages: string, max: number) =>
  planBatch(
    messages.split('').map((kind, offset) => ({ kind, offset })),
    (item) => work[item.kind]!,
    max,
  ).map(render);
const render = (step: BatchStep<{ kind: string; offset: number }>) =>
  step.kind === 'transaction'
    ? step.items.map((item) => `${item.kind}${item.offset}`).join(' ')
    : `DLQ ${step.item.kind}${step.item.offset}`;

describe('planBatch', () => {
  it('handles a whole batch in one transaction when it fits', () => {
    expect(plan('hhhh', 10)).toEqual(['h0 h1 h2 h3']);
  });

  it('caps each transaction at the given number of messages, keeping partition order', () => {
    expect(plan('hhhhhhh', 3)).toEqual(['h0 h1 h2', 'h3 h4 h5', 'h6']);
    expect(plan('hhhhhh', 3)).toEqual(['h0 h1 h2', 'h3 h4 h5']);
  });

  it('lets skipped messages ride along without counting against the cap', () => {
    expect(plan('hshssh', 2)).toEqual(['h0 s1 h2 s3 s4', 'h5']);
    expect(plan('sss', 2)).toEqual(['s0 s1 s2']);
  });

  it('dead-letters an invalid message between the transactions before and after it', () => {
    expect(plan('hhdhh', 10)).toEqual(['h0 h1', 'DLQ d2', 'h3 h4']);
    expect(plan('dhdd', 10)).toEqual(['DLQ d0', 'h1', 'DLQ d2', 'DLQ d3']);
  });

  it('puts every message in exactly one step', () => {
    const messages = 'hhshdhhhsdhhhhhsh';
    const steps = plan(messages, 3);
    const offsets = steps
      .flatMap((step) => step.replace('DLQ ', '').split(' '))
      .map((m) => Number(m.slice(1)));
    expect(offsets).toEqual(messages.split('').map((_, i) => i));
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => plan('h', 0)).toThrow(/positive integer/);
  });
});
