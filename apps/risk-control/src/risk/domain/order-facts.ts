/** What risk-control knows about an order (from order.placed.v1); client details only when present. */
export interface OrderFacts {
  orderId: string;
  /** Normalised (trimmed, lower case), so block lists and velocity compare like mail systems do. */
  email: string;
  paymentChannel: string;
  amountMinor: number;
  currency: string;
  sku: string;
  quantity: number;
  placedAt: string;
  clientIp?: string;
  deviceId?: string;
}

/** Counts of OTHER orders (never the assessed one), read from the database by the application. */
export interface OrderHistory {
  /** Orders from the same email placed within the velocity window before this one. */
  emailOrdersInWindow: number;
  ipOrdersInWindow?: number;
  deviceOrdersInWindow?: number;
  /** Any earlier order from this email, ever: zero means this is the buyer's first order. */
  earlierOrdersByEmail: number;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0 ? '' : email.slice(at + 1);
}
