import { afterFailure } from './fallback-policy';

const settings = { maxAttemptsPerChannel: 3, backoffBaseMs: 1000, backoffMaxMs: 5000 };
const chain = ['email', 'webhook'];
/** The top of the jitter range, so the expected delays are the backoff's ceilings. */
const top = () => 1;

describe('channel fallback policy', () => {
  it('retries a channel with growing, bounded backoff', () => {
    expect(
      afterFailure(
        { channels: chain, channelIndex: 0, channelAttempts: 1 },
        { permanent: false },
        settings,
        top,
      ),
    ).toEqual({ kind: 'retry', channelIndex: 0, delayMs: 1000 });
    expect(
      afterFailure(
        { channels: chain, channelIndex: 0, channelAttempts: 2 },
        { permanent: false },
        settings,
        top,
      ),
    ).toEqual({ kind: 'retry', channelIndex: 0, delayMs: 2000 });
    const late = { channels: ['email'], channelIndex: 0, channelAttempts: 10 };
    expect(afterFailure(late, { permanent: false }, { ...settings, maxAttemptsPerChannel: 20 }, top)).toEqual(
      {
        kind: 'retry',
        channelIndex: 0,
        delayMs: 5000,
      },
    );
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
