import { type EntityManager } from 'typeorm';

import { notifyWork, workChannel } from '@keyflow/service-kit';

/** Every inventory replica LISTENs here; a notice names the SKU whose stock changed. */
export const LOW_STOCK_CHANNEL = workChannel('inventory', 'low_stock');

export interface LowStockNotice {
  sku: string;
  /** true: the change lowered available stock (it may cross the threshold); false: it only raised it. */
  lowered: boolean;
}

/**
 * Tells the low-stock workers of all replicas, when (and only if) the caller's transaction commits, that a
 * SKU's stock changed. No lock and no count: the evaluation happens later, in the worker's own transaction.
 * Notices of one transaction with the same SKU and direction arrive as one.
 */
export async function sendLowStockNotice(manager: EntityManager, notice: LowStockNotice): Promise<void> {
  await notifyWork(manager, LOW_STOCK_CHANNEL, formatLowStockNotice(notice));
}

export function formatLowStockNotice({ sku, lowered }: LowStockNotice): string {
  return `${lowered ? 'down' : 'up'}:${sku}`;
}

/** undefined for anything else (e.g. an empty payload): the reader should then look at every SKU. */
export function parseLowStockNotice(payload: string): LowStockNotice | undefined {
  const match = /^(down|up):(.+)$/s.exec(payload);
  return match ? { sku: match[2]!, lowered: match[1] === 'down' } : undefined;
}
