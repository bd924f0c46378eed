/**
 * The merchant order number we give providers is the order id without dashes: WeChat Pay allows at most
 * 32 characters in out_trade_no, and one form for every provider keeps reconciliation simple.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COMPACT = /^[0-9a-f]{32}$/i;

export function outTradeNoOf(orderId: string): string {
  return orderId.replace(/-/g, '').toLowerCase();
}

/** The order id an out_trade_no stands for, or undefined when it cannot be one of ours. */
export function orderIdOfOutTradeNo(outTradeNo: string): string | undefined {
  if (UUID.test(outTradeNo)) return outTradeNo.toLowerCase();
  if (!COMPACT.test(outTradeNo)) return undefined;
  const h = outTradeNo.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function isOrderId(value: string): boolean {
  return UUID.test(value);
}

/** Our own payment id for an order's intent: stable, so a redelivered OrderPlaced maps to the same one. */
export function paymentIdOf(orderId: string): string {
  return `pay-${orderId.toLowerCase()}`;
}
