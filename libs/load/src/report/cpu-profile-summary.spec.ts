import { type CpuProfile, hotFunctions } from './cpu-profile-summary';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

/** 10 ms of profile, 10 samples: each sample is worth 1 ms. */
const profile: CpuProfile = {
  startTime: 0,
  endTime: 10_000,
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('parse', 'file:///repo/node_modules/pg-protocol/dist/parser.js', 9) },
    { id: 4, callFrame: frame('handle', 'file:///repo/apps/orders/dist/order/handler.js', 41) },
    // The same function reached by another call path: its self time adds up.
    { id: 5, callFrame: frame('parse', 'file:///repo/node_modules/pg-protocol/dist/parser.js', 9) },
    { id: 6, callFrame: frame('(garbage collector)') },
    { id: 7, callFrame: frame('') },
  ],
  samples: [2, 2, 2, 2, 3, 5, 5, 4, 6, 7],
};

describe('hot functions of a CPU profile', () => {
  it('ranks functions by self time summed over call paths, leaving idle out of list and shares', () => {
    expect(hotFunctions(profile)).toEqual([
      { function: 'parse (pg-protocol/dist/parser.js:10)', selfMs: 3, share: 0.5 },
      { function: 'handle (apps/orders/dist/order/handler.js:42)', selfMs: 1, share: 0.167 },
      { function: '(garbage collector)', selfMs: 1, share: 0.167 },
      { function: '(anonymous)', selfMs: 1, share: 0.167 },
    ]);
  });

  it('given a window, then only the samples inside it count (the load, not the boot)', () => {
    // One sample per ms: samples 5..8 (ids 5, 5, 4, 6) fall within 5.5–9 ms.
    const timed = { ...profile, timeDeltas: profile.samples!.map(() => 1000) };
    expect(hotFunctions(timed, 10, { fromMs: 5.5, toMs: 9 })).toEqual([
      { function: 'parse (pg-protocol/dist/parser.js:10)', selfMs: 2, share: 0.5 },
      { function: 'handle (apps/orders/dist/order/handler.js:42)', selfMs: 1, share: 0.25 },
      { function: '(garbage collector)', selfMs: 1, share: 0.25 },
    ]);
  });

  it('keeps only the top N', () => {
    expect(hotFunctions(profile, 1).map((f) => f.function)).toEqual([
      'parse (pg-protocol/dist/parser.js:10)',
    ]);
  });

  it('falls back to hitCount when a profile carries no samples, and is empty when nothing was sampled', () => {
    const counted: CpuProfile = {
      startTime: 0,
      endTime: 4000,
      nodes: [
        { id: 1, callFrame: frame('a', 'file:///x/a.js'), hitCount: 3 },
        { id: 2, callFrame: frame('b', 'file:///x/b.js'), hitCount: 1 },
      ],
    };
    expect(hotFunctions(counted)).toEqual([
      { function: 'a (/x/a.js:1)', selfMs: 3, share: 0.75 },
      { function: 'b (/x/b.js:1)', selfMs: 1, share: 0.25 },
    ]);
    expect(hotFunctions({ ...counted, nodes: [] })).toEqual([]);
  });
});
