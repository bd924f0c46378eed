export interface SandboxSuppliersConfig {
  port: number;
  host: string;
  /** Supplier instances served under /suppliers/:id (e.g. a primary and a backup). */
  supplierIds: string[];
  /** Keys in each supplier's stock at start. */
  stock: number;
}

export const SANDBOX_SUPPLIERS_CONFIG = Symbol('SANDBOX_SUPPLIERS_CONFIG');

export function loadSandboxSuppliersConfig(env: NodeJS.ProcessEnv = process.env): SandboxSuppliersConfig {
  const port = Number(env.PORT ?? 3091);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const supplierIds = (env.SANDBOX_SUPPLIERS ?? 'primary,backup')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (supplierIds.length === 0 || supplierIds.some((id) => !/^[A-Za-z0-9._-]{1,64}$/.test(id)))
    throw new Error('SANDBOX_SUPPLIERS must be comma-separated ids of letters, digits, . _ -');
  const stock = Number(env.SANDBOX_SUPPLIER_STOCK ?? 100000);
  if (!Number.isInteger(stock) || stock < 0)
    throw new Error(`SANDBOX_SUPPLIER_STOCK must be a whole number, got "${env.SANDBOX_SUPPLIER_STOCK}"`);
  return { port, host: env.HOST ?? '0.0.0.0', supplierIds, stock };
}
