import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type ProviderKind } from '../domain/provider-kind';

export type CallbackVerdict = 'accepted' | 'duplicate' | 'ignored' | 'rejected';

export interface ReceivedCallback {
  provider: ProviderKind;
  headers: Record<string, string>;
  body: string;
}

export interface CallbackRecord {
  verdict: CallbackVerdict;
  reason?: string;
  orderId?: string;
  providerTradeNo?: string;
}

/** Headers that identify a caller's session rather than the callback; not kept. */
const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * Every callback as it arrived, with our verdict: the audit trail for disputes and the proof that a
 * replay changed nothing. Written in the verdict's own transaction, so an accepted callback and the
 * payment it confirms commit together.
 */
@Injectable()
export class CallbackLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async record(
    callback: ReceivedCallback,
    record: CallbackRecord,
    manager: EntityManager = this.dataSource.manager,
  ) {
    const headers = Object.fromEntries(
      Object.entries(callback.headers).filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase())),
    );
    await manager.query(
      `INSERT INTO "payments".callbacks (provider, headers, body, verdict, reason, order_id, provider_trade_no)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        callback.provider,
        JSON.stringify(headers),
        callback.body,
        record.verdict,
        record.reason ?? null,
        record.orderId ?? null,
        record.providerTradeNo ?? null,
      ],
    );
  }
}
