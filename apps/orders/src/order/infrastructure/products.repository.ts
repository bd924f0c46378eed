import { type EntityManager } from 'typeorm';

export interface Product {
  sku: string;
  title: string;
  unitPriceMinor: number;
  currency: string;
  active: boolean;
}

interface ProductRow {
  sku: string;
  title: string;
  unit_price_minor: number;
  currency: string;
  active: boolean;
}

const SELECT_PRODUCTS = `SELECT sku, title, unit_price_minor, currency, active FROM orders.products`;

const toProduct = (row: ProductRow): Product => ({
  sku: row.sku,
  title: row.title,
  unitPriceMinor: row.unit_price_minor,
  currency: row.currency,
  active: row.active,
});

export async function findProduct(manager: EntityManager, sku: string): Promise<Product | undefined> {
  const rows: ProductRow[] = await manager.query(`${SELECT_PRODUCTS} WHERE sku = $1`, [sku]);
  return rows[0] && toProduct(rows[0]);
}

export async function listProducts(manager: EntityManager): Promise<Product[]> {
  const rows: ProductRow[] = await manager.query(`${SELECT_PRODUCTS} ORDER BY sku`);
  return rows.map(toProduct);
}

export async function upsertProduct(manager: EntityManager, product: Product): Promise<void> {
  await manager.query(
    `INSERT INTO orders.products (sku, title, unit_price_minor, currency, active) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (sku) DO UPDATE SET title = excluded.title, unit_price_minor = excluded.unit_price_minor,
       currency = excluded.currency, active = excluded.active, updated_at = clock_timestamp()`,
    [product.sku, product.title, product.unitPriceMinor, product.currency, product.active],
  );
}
