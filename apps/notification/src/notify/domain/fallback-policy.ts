/**
 * Channel fallback for one notification: each channel is retried with bounded exponential backoff, then
 * the next configured channel takes over; when the last one gives up, the notification has failed.
 * Pure: the worker stores the decision (durable schedule), so a restart continues where it stopped.
 */
export interface RetrySettings {
  /** Attempts on one channel before moving to the next. */
  maxAttemptsPerChannel: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface DeliveryProgress {
  channels: readonly string[];
  channelIndex: number;
  /** Attempts made on the current channel, including the one that just failed. */
  channelAttempts: number;
}

export type FallbackDecision =
  | { kind: 'retry'; channelIndex: number; delayMs: number }
  | { kind: 'next-channel'; channelIndex: number; delayMs: 0 }
  | { kind: 'give-up' };

export function afterFailure(
  progress: DeliveryProgress,
  failure: { permanent: boolean },
  settings: RetrySettings,
): FallbackDecision {
  const exhausted = failure.permanent || progress.channelAttempts >= settings.maxAttemptsPerChannel;
  if (!exhausted) {
    return {
      kind: 'retry',
      channelIndex: progress.channelIndex,
      delayMs: backoffMs(progress.channelAttempts, settings),
    };
  }
  const next = progress.channelIndex + 1;
  return next < progress.channels.length
    ? { kind: 'next-channel', channelIndex: next, delayMs: 0 }
    : { kind: 'give-up' };
}

/** base · 2^(n-1), capped: 1st retry after base, then doubling; no jitter needed, rows are claimed singly. */
export function backoffMs(attemptsSoFar: number, settings: RetrySettings): number {
  const exponent = Math.max(0, attemptsSoFar - 1);
  return Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(exponent, 30));
}
