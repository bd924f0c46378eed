/** The shapes the console reads from the services' APIs (only the fields it draws). */
export interface Money {
  amountMinor: number;
  currency: string;
}

export interface Overview {
  byStatus: Record<string, number>;
  byStage: Record<string, number>;
  paidUndelivered: { count: number; oldestPaidAt: string | null };
  window: {
    windowSeconds: number;
    paid: number;
    late: number;
    delayRate: number;
    averageDeliverySeconds: number | null;
    lateAfterSeconds: number;
  };
  alerts: Array<{ alertKey: string; severity: string | null; summary: string | null; raisedAt: string }>;
}

export interface OrderListItem {
  orderId: string;
  status: string;
  sku: string;
  quantity: number;
  currentStage?: string;
  waitingReason?: string;
  waitingSince?: string;
}

export interface Review {
  orderId: string;
  score?: number;
  rule?: string;
  reason?: string;
  reviewSince?: string;
}

/** A pass-first approval waiting for its audit (risk-control). */
export interface Audit {
  orderId: string;
  score: number;
  findings: Array<{ rule: string; verdict: string; score: number; reason: string }>;
  queuedAt: string;
  email: string | null;
  paymentChannel: string | null;
  amount: Money | null;
}

/** A supplier purchase delivery gave up on after an unknown outcome (delivery). */
export interface AbandonedPurchase {
  orderId: string;
  supplierId: string;
  idempotencyKey: string;
  abandonedAt: string;
  reconciledAt: string | null;
  reconciledBy: string | null;
  outcome: string | null;
  note: string | null;
}

export interface StockLevel {
  sku: string;
  source: string;
  available: number | null;
  reserved: number;
  sold: number;
  lowStockThreshold: number | null;
  low: boolean;
}

export interface ImportEntry {
  sku: string;
  label: string | null;
  importedBy: string | null;
  received: number;
  imported: number;
  importedAt: string;
}

export interface ImportAnswer {
  imported?: number;
  duplicatesInBatch?: unknown;
  duplicatesInPool?: unknown;
}

export interface Supplier {
  supplier: string;
  state: string;
  inRotation: boolean;
  rotationChange: { inRotation: boolean; reason: string; changedBy: string; changedAt: string } | null;
}

export interface DeliveryStatus {
  status: string;
  source: string;
  attempts: number;
  route: string[];
  supplierSwitches: Array<{ from: string; to: string; reason: string }>;
  lastError: string | null;
  redeliveries: Array<{ action: string; requestedBy: string; requestedAt: string }>;
}

export interface BuyerPage {
  orderId: string;
  sku: string;
  quantity: number;
  total: Money;
  headline: string;
  expectedBy?: string;
  note: string;
  steps: Array<{ label: string; state: string; at?: string }>;
  keys?: Array<{ keyId: string; code: string }>;
  shop: { name: string; contact: string };
}
