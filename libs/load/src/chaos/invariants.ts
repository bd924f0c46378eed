import { Client } from 'pg';

/** What must hold after any amount of chaos (DESIGN.md's invariants), read from the services' own tables. */
export interface InvariantCounts {
  /** Orders with more than one delivery.succeeded.v1 recorded by delivery. */
  duplicated_deliveries: number;
  /** Card keys that reached two different orders (inventory's commits or delivery's delivered keys). */
  keys_in_two_orders: number;
  /** Pool SKUs that committed more keys than were ever imported for them. */
  oversold: number;
  /** Paid orders the order read model still shows as moving (paid, approved, fulfilling, delivered…). */
  non_terminal: number;
  non_terminal_samples: string[];
}

const MOVING_STATUSES = ['paid', 'in-review', 'approved', 'fulfilling', 'delivered'];

export async function checkInvariants(
  databaseUrl: string,
  orderIds: readonly string[],
): Promise<InvariantCounts> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const count = async (sql: string, params: unknown[] = []) =>
      Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
    const duplicated = await count(
      `SELECT count(*) AS n FROM (SELECT subject FROM delivery.events WHERE type = 'delivery.succeeded.v1'
         GROUP BY subject HAVING count(*) > 1) twice`,
    );
    const keysTwiceInventory = await count(
      `SELECT count(*) AS n FROM (SELECT rk.key_id FROM inventory.reservation_keys rk
         JOIN inventory.reservations r USING (reservation_id) WHERE r.status = 'committed'
         GROUP BY rk.key_id HAVING count(DISTINCT r.order_id) > 1) twice`,
    );
    const keysTwiceDelivery = await count(
      `SELECT count(*) AS n FROM (SELECT dk.key_id FROM delivery.delivered_keys dk
         JOIN delivery.deliveries d USING (delivery_id) WHERE dk.key_id IS NOT NULL
         GROUP BY dk.key_id HAVING count(DISTINCT d.order_id) > 1) twice`,
    );
    const oversold = await count(
      `SELECT count(*) AS n FROM (
         SELECT r.sku FROM inventory.reservations r JOIN inventory.skus s USING (sku)
          WHERE r.status = 'committed' AND s.source = 'pool'
          GROUP BY r.sku
         HAVING sum(r.quantity) > (SELECT count(*) FROM inventory.card_keys k WHERE k.sku = r.sku)) over`,
    );
    const moving = await db.query<{ order_id: string; status: string }>(
      `SELECT order_id, status FROM orders.order_view WHERE order_id = ANY($1::uuid[]) AND status = ANY($2)`,
      [orderIds, MOVING_STATUSES],
    );
    return {
      duplicated_deliveries: duplicated,
      keys_in_two_orders: keysTwiceInventory + keysTwiceDelivery,
      oversold,
      non_terminal: moving.rowCount ?? 0,
      non_terminal_samples: moving.rows.slice(0, 5).map((row) => `${row.order_id} (${row.status})`),
    };
  } finally {
    await db.end();
  }
}

/** Buyers who received the goods email for one order more than once, per the SMTP sink. */
export function duplicateGoodsEmails(inbox: ReadonlyArray<{ orderId?: string; purpose?: string }>): number {
  const perOrder = new Map<string, number>();
  for (const mail of inbox) {
    if (mail.purpose !== 'goods' || !mail.orderId) continue;
    perOrder.set(mail.orderId, (perOrder.get(mail.orderId) ?? 0) + 1);
  }
  return [...perOrder.values()].filter((n) => n > 1).length;
}

/**
 * Where the canary keys show up in clear: each haystack is searched for every key as imported and in the
 * encodings a careless log line would use (base64, hex). The goods emails are the one place keys belong, so
 * the mail sink is not a haystack.
 */
export function findCanaries(
  canaries: readonly string[],
  haystacks: ReadonlyArray<{ name: string; text: string }>,
): Array<{ where: string; canary: string }> {
  const forms = canaries.flatMap((key) => [
    { key, form: key },
    { key, form: Buffer.from(key).toString('base64') },
    { key, form: Buffer.from(key).toString('hex') },
  ]);
  const hits: Array<{ where: string; canary: string }> = [];
  for (const { name, text } of haystacks) {
    for (const { key, form } of forms)
      if (text.includes(form)) hits.push({ where: name, canary: key.slice(0, 12) + '…' });
  }
  return hits;
}
