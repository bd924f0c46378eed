import { delayAfter, WorkerLoop } from './worker-loop';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('WorkerLoop', () => {
  it('given an idle loop with a long interval, when woken, then it ticks at once instead of at the interval', async () => {
    const ticks: number[] = [];
    const loop = new WorkerLoop('test', 60_000, async () => {
      ticks.push(Date.now());
      return 'idle';
    });
    loop.start();
    await sleep(50);
    expect(ticks).toHaveLength(1); // the first tick at start, then nothing for a minute
    loop.wake();
    await sleep(50);
    expect(ticks).toHaveLength(2);
    await loop.stop();
  });

  it('given a tick in progress, when woken, then another tick follows it at once', async () => {
    let release!: () => void;
    let ticks = 0;
    const loop = new WorkerLoop('test', 60_000, async () => {
      ticks += 1;
      if (ticks === 2) await new Promise<void>((resolve) => (release = resolve));
      return 'idle';
    });
    loop.start();
    await sleep(20);
    loop.wake(); // tick 2 starts and blocks
    await sleep(20);
    loop.wake(); // arrives while tick 2 runs
    release();
    await sleep(50);
    expect(ticks).toBe(3);
    await loop.stop();
  });

  it('given a stopped loop, when woken, then nothing runs', async () => {
    let ticks = 0;
    const loop = new WorkerLoop('test', 60_000, async () => {
      ticks += 1;
      return 'idle';
    });
    loop.start();
    await sleep(20);
    await loop.stop();
    loop.wake();
    await sleep(30);
    expect(ticks).toBe(1);
  });
});

describe('delayAfter', () => {
  it('waits the interval after an idle tick', () => {
    expect(delayAfter('idle', 30_000)).toBe(30_000);
  });

  it('waits only until the next known work falls due when that comes before the interval', () => {
    expect(delayAfter({ nextDueInMs: 4_200.4 }, 30_000)).toBe(4_201);
    expect(delayAfter({ nextDueInMs: 90_000 }, 30_000)).toBe(30_000);
  });

  it('never spins on work that is due already but could not be claimed', () => {
    expect(delayAfter({ nextDueInMs: -500 }, 30_000)).toBe(10);
  });
});
