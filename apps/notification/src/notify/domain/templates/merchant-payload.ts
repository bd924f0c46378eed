import { lateness } from '../lateness';

/**
 * The merchant webhook's JSON. It never carries card keys: the merchant learns that the goods went (or
 * could not go) to the buyer, with the times, not the goods themselves.
 */
export interface MerchantPayloadInput {
  notificationId: string;
  purpose: string;
  /** `order.goods-delivered` for the merchant's own notice; `order.buyer-notice` when it stands in for email. */
  type: 'order.goods-delivered' | 'order.buyer-notice';
  orderId: string;
  buyerEmail: string;
  sku: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  eventTime: string;
  details: Record<string, unknown>;
}

export function merchantPayload(
  input: MerchantPayloadInput,
  sendTime: string,
  lateAfterSeconds: number,
): { body: Record<string, unknown>; late: boolean } {
  const { late, delaySeconds } = lateness(input.eventTime, sendTime, lateAfterSeconds);
  return {
    late,
    body: {
      type: input.type,
      notificationId: input.notificationId,
      purpose: input.purpose,
      orderId: input.orderId,
      buyer: { email: input.buyerEmail },
      product: { sku: input.sku, quantity: input.quantity },
      total: input.total,
      eventTime: input.eventTime,
      sentAt: sendTime,
      late,
      delaySeconds,
      ...input.details,
    },
  };
}
