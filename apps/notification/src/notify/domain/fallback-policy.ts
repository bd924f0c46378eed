import { backoffDelay } from '@keyflow/resilience';

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
  random: () => number = Math.random,
): FallbackDecision {
  const exhausted = failure.permanent || progress.channelAttempts >= settings.maxAttemptsPerChannel;
  if (!exhausted) {
    return {
      kind: 'retry',
      channelIndex: progress.channelIndex,
      delayMs: backoffDelay(
        progress.channelAttempts,
        { baseMs: settings.backoffBaseMs, maxMs: settings.backoffMaxMs },
        random,
      ),
    };
  }
  const next = progress.channelIndex + 1;
  return next < progress.channels.length
    ? { kind: 'next-channel', channelIndex: next, delayMs: 0 }
    : { kind: 'give-up' };
}
