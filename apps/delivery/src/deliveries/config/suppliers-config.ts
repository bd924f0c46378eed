/** One supplier as configured (DELIVERY_SUPPLIERS_FILE / DELIVERY_SUPPLIERS, a JSON array). */
export interface SupplierConfig {
  id: string;
  /** Which adapter speaks to it; adding a supplier API is a new kind plus its adapter class. */
  kind: 'http-json';
  baseUrl: string;
  breaker: BreakerConfig;
  retry: RetryConfig;
}

export interface BreakerConfig {
  /** A call without an answer after this long is aborted and counts as a failure (outcome unknown). */
  timeoutMs: number;
  /** Failure percentage within the rolling window that opens the circuit. */
  errorThresholdPercentage: number;
  /** Calls in the window before the percentage is judged at all. */
  volumeThreshold: number;
  /** How long the circuit stays open before one probe call is let through (half-open). */
  resetTimeoutMs: number;
  /** The rolling statistics window. */
  rollingCountTimeoutMs: number;
}

export interface RetryConfig {
  /** Calls to this supplier per delivery attempt, the first included (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

const KINDS = ['http-json'] as const;
const DEFAULT_BREAKER: BreakerConfig = {
  timeoutMs: 5000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 30000,
  rollingCountTimeoutMs: 10000,
};
const DEFAULT_RETRY: RetryConfig = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/** Parses and checks the suppliers list; errors name the supplier and field, never a URL's credentials. */
export function parseSuppliersConfig(json: string): SupplierConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('DELIVERY_SUPPLIERS: not valid JSON');
  }
  if (!Array.isArray(raw)) throw new Error('DELIVERY_SUPPLIERS: expected a JSON array of suppliers');
  const suppliers = raw.map((entry: unknown, index) => parseSupplier(entry, index));
  const ids = suppliers.map((s) => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`DELIVERY_SUPPLIERS: supplier "${duplicate}" is listed twice`);
  return suppliers;
}

function parseSupplier(entry: unknown, index: number): SupplierConfig {
  const where = `DELIVERY_SUPPLIERS[${index}]`;
  if (typeof entry !== 'object' || entry === null) throw new Error(`${where}: expected an object`);
  const e = entry as Record<string, unknown>;
  if (typeof e.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(e.id))
    throw new Error(`${where}.id: 1-64 characters of letters, digits, . _ -`);
  const kind = e.kind ?? 'http-json';
  if (!KINDS.includes(kind as 'http-json'))
    throw new Error(`${where}.kind: one of ${KINDS.join(', ')}, got "${String(kind)}"`);
  if (typeof e.baseUrl !== 'string' || !/^https?:\/\//.test(e.baseUrl))
    throw new Error(`${where}.baseUrl: an http(s) URL is required`);
  return {
    id: e.id,
    kind: kind as 'http-json',
    baseUrl: e.baseUrl.replace(/\/+$/, ''),
    breaker: numbers(`${where}.breaker`, e.breaker, DEFAULT_BREAKER),
    retry: numbers(`${where}.retry`, e.retry, DEFAULT_RETRY),
  };
}

function numbers<T extends object>(where: string, value: unknown, defaults: T): T {
  if (value === undefined) return { ...defaults };
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: expected an object`);
  const result: Record<string, number> = { ...(defaults as Record<string, number>) };
  for (const [name, given] of Object.entries(value)) {
    if (!(name in defaults)) throw new Error(`${where}.${name}: unknown option`);
    if (typeof given !== 'number' || !Number.isFinite(given) || given < 0)
      throw new Error(`${where}.${name}: a non-negative number is required`);
    result[name] = given;
  }
  return result as T;
}
