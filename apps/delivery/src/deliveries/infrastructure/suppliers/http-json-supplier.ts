import { kindOfStatus, SupplierFailure } from '../../domain/supplier-failure';
import {
  type PurchaseRequest,
  type SupplierClient,
  type SupplierPurchase,
} from '../../application/supplier-client';

/** Connection errors that prove the request never reached the supplier: safe to buy elsewhere. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A supplier with a plain JSON API:
 *   POST {baseUrl}/purchases  (Idempotency-Key header; body {sku, quantity, orderRef}) → {supplierOrderId, keys}
 *   GET  {baseUrl}/purchases/{idempotencyKey} → the same, or 404
 * 5xx/429 mean "not processed, try again"; other 4xx are refusals for good.
 */
export class HttpJsonSupplier implements SupplierClient {
  constructor(
    readonly id: string,
    private readonly baseUrl: string,
  ) {}

  async purchase(request: PurchaseRequest, signal: AbortSignal): Promise<SupplierPurchase> {
    const response = await this.send(
      `${this.baseUrl}/purchases`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey },
        body: JSON.stringify({ sku: request.sku, quantity: request.quantity, orderRef: request.orderId }),
      },
      signal,
    );
    if (!response.ok) throw await this.failure(response);
    return this.parse(response, request.quantity);
  }

  async findPurchase(idempotencyKey: string, signal: AbortSignal): Promise<SupplierPurchase | undefined> {
    const response = await this.send(
      `${this.baseUrl}/purchases/${encodeURIComponent(idempotencyKey)}`,
      { method: 'GET' },
      signal,
    );
    if (response.status === 404) return undefined;
    if (!response.ok) throw await this.failure(response);
    return this.parse(response);
  }

  private async send(url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      if (signal.aborted) throw new SupplierFailure('unknown-outcome', this.id, 'request aborted');
      if (cause && NOT_SENT.has(cause)) throw new SupplierFailure('retryable', this.id, cause);
      // Reset mid-exchange: the supplier may have processed it.
      throw new SupplierFailure('unknown-outcome', this.id, cause ?? 'network error');
    }
  }

  private async failure(response: Response): Promise<SupplierFailure> {
    // Only the supplier's error code is kept: a body is never echoed (it could hold anything).
    const body = (await response.json().catch(() => ({}))) as { code?: unknown };
    const code = typeof body.code === 'string' ? ` ${body.code.slice(0, 64)}` : '';
    return new SupplierFailure(kindOfStatus(response.status), this.id, `HTTP ${response.status}${code}`);
  }

  private async parse(response: Response, expected?: number): Promise<SupplierPurchase> {
    const body = (await response.json().catch(() => undefined)) as Partial<SupplierPurchase> | undefined;
    const keys = body?.keys;
    const valid =
      typeof body?.supplierOrderId === 'string' &&
      Array.isArray(keys) &&
      keys.every((key) => typeof key === 'string' && key.length > 0 && key.length <= 1024) &&
      (expected === undefined || keys.length === expected);
    if (!valid) throw new SupplierFailure('rejected', this.id, 'malformed purchase answer');
    return { supplierOrderId: body!.supplierOrderId!, keys: keys! };
  }
}
