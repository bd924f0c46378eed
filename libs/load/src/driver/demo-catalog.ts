import { randomBytes } from 'node:crypto';

/** A product the demo sells: priced in orders, stocked in inventory (from the key pool or from suppliers). */
export interface DemoProduct {
  sku: string;
  title: string;
  unitPriceMinor: number;
  source: 'pool' | 'supplier';
}

/**
 * The demo shop: a pool SKU (keys imported by the operator) and two supplier SKUs bought on demand from the
 * primary supplier with the backup behind it. Prices stay inside risk-control's pass-first limit, as most
 * card-key orders do, so the demo shows the automatic path.
 */
export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  { sku: 'STEAM-100', title: 'Steam wallet code 100', unitPriceMinor: 10000, source: 'pool' },
  { sku: 'NETFLIX-1M', title: 'Netflix gift card, 1 month', unitPriceMinor: 4500, source: 'supplier' },
  { sku: 'XBOX-GP-1M', title: 'Xbox Game Pass, 1 month', unitPriceMinor: 6900, source: 'supplier' },
];

export interface CatalogEndpoints {
  ordersUrl: string;
  inventoryUrl: string;
  operatorKey: string;
}

async function call(url: string, key: string, method: string, body: string, contentType: string) {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': contentType, authorization: `Bearer ${key}` },
    body,
  });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
  return response.json() as Promise<unknown>;
}

/**
 * Prices the products, defines their stocking, and imports `poolKeys` fresh keys per pool SKU (random, so a
 * rerun never collides with keys already imported). Returns the imported keys by SKU: chaos runs use them
 * as canaries to search every log and dump for.
 */
export async function seedCatalog(
  endpoints: CatalogEndpoints,
  poolKeys: number,
  products: readonly DemoProduct[] = DEMO_PRODUCTS,
): Promise<Map<string, string[]>> {
  const imported = new Map<string, string[]>();
  for (const product of products) {
    await call(
      `${endpoints.ordersUrl}/v1/products/${product.sku}`,
      endpoints.operatorKey,
      'PUT',
      JSON.stringify({ title: product.title, unitPriceMinor: product.unitPriceMinor, currency: 'CNY' }),
      'application/json',
    );
    const definition =
      product.source === 'pool'
        ? { title: product.title, source: 'pool', lowStockThreshold: 10 }
        : {
            title: product.title,
            source: 'supplier',
            suppliers: ['primary', 'backup'],
            supplierSku: `${product.sku}-UP`,
            lowStockThreshold: 0,
          };
    await call(
      `${endpoints.inventoryUrl}/v1/skus/${product.sku}`,
      endpoints.operatorKey,
      'PUT',
      JSON.stringify(definition),
      'application/json',
    );
    if (product.source === 'pool' && poolKeys > 0) {
      const keys = Array.from(
        { length: poolKeys },
        () => `CANARY-${product.sku}-${randomBytes(9).toString('base64url').toUpperCase()}`,
      );
      await call(
        `${endpoints.inventoryUrl}/v1/skus/${product.sku}/keys`,
        endpoints.operatorKey,
        'POST',
        keys.join('\n') + '\n',
        'text/plain',
      );
      imported.set(product.sku, keys);
    }
  }
  return imported;
}
