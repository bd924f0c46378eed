import { NotificationError } from './notification.errors';

/** Channels that can carry a buyer notification, in the order the shop configures them. */
export const BUYER_CHANNELS = ['email', 'webhook'] as const;
export type BuyerChannel = (typeof BUYER_CHANNELS)[number];

/** IM bots operators read; each speaks its own JSON shape. */
export const OPERATOR_KINDS = ['slack', 'dingtalk', 'telegram'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

export type Channel = BuyerChannel | OperatorKind;

/** Who a notification is for; the unique key includes it, so each recipient is told once per purpose. */
export type Recipient = 'buyer' | 'merchant' | `operator:${string}`;

export type Purpose = 'goods' | 'goods-resend' | 'status-update' | 'operator-alert';

/** Parses NOTIFICATION_BUYER_CHANNELS ("email,webhook"): known channels, no repeats, at least one. */
export function parseBuyerChannels(raw: string): BuyerChannel[] {
  const channels = raw
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (channels.length === 0) throw new NotificationError('NOTIFICATION.INVALID_CHANNELS', 'no channel given');
  for (const channel of channels) {
    if (!(BUYER_CHANNELS as readonly string[]).includes(channel)) {
      throw new NotificationError(
        'NOTIFICATION.INVALID_CHANNELS',
        `unknown channel "${channel}" (known: ${BUYER_CHANNELS.join(', ')})`,
      );
    }
  }
  if (new Set(channels).size !== channels.length)
    throw new NotificationError('NOTIFICATION.INVALID_CHANNELS', 'a channel is listed twice');
  return channels as BuyerChannel[];
}
