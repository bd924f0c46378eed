import { afterFailure, backoffMs } from './fallback-policy';

const settings = { maxAttemptsPerChannel: 3, backoffBaseMs: 1000, backoffMaxMs: 5000 };
const chain = ['email', 'webhook'];

describe('channel fallback policy', () => {
  it('retries a channel with growing, bounded backoff', () => {
    expect(
      afterFailure({ channels: chain, channelIndex: 0, channelAttempts: 1 }, { permanent: false }, settings),
    ).toEqual({ kind: 'retry', channelIndex: 0, delayMs: 1000 });
    expect(
      afterFailure({ channels: chain, channelIndex: 0, channelAttempts: 2 }, { permanent: false }, settings),
    ).toEqual({ kind: 'retry', channelIndex: 0, delayMs: 2000 });
    expect(backoffMs(10, settings)).toBe(5000);
  });

  it('moves to the next channel when the attempts are used up, at once', () => {
    expect(
      afterFailure({ channels: chain, channelIndex: 0, channelAttempts: 3 }, { permanent: false }, settings),
    ).toEqual({ kind: 'next-channel', channelIndex: 1, delayMs: 0 });
  });

  it('does not retry a permanent failure on the same channel', () => {
    expect(
      afterFailure({ channels: chain, channelIndex: 0, channelAttempts: 1 }, { permanent: true }, settings),
    ).toEqual({ kind: 'next-channel', channelIndex: 1, delayMs: 0 });
  });

  it('gives up after the last channel', () => {
    expect(
      afterFailure({ channels: chain, channelIndex: 1, channelAttempts: 3 }, { permanent: false }, settings),
    ).toEqual({ kind: 'give-up' });
    expect(
      afterFailure(
        { channels: ['email'], channelIndex: 0, channelAttempts: 1 },
        { permanent: true },
        settings,
      ),
    ).toEqual({ kind: 'give-up' });
  });
});
