import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import { type ProviderKind } from '../domain/provider-kind';
import { escapeControls, storableBody } from './stored-callback-text';

export type CallbackVerdict = 'accepted' | 'duplicate' | 'ignored' | 'rejected';

export interface ReceivedCallback {
  provider: ProviderKind;
  headers: Record<string, string>;
  body: string;
  /** The exact bytes received, when known: what the log keeps (base64 when text cannot hold them). */
  raw?: Buffer;
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

  /** Whether a callback for this order was already refused with this code for this transaction id. */
  async refusedBefore(
    manager: EntityManager,
    orderId: string,
    providerTradeNo: string,
    code: string,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM "payments".callbacks
       WHERE order_id = $1 AND provider_trade_no = $2 AND verdict = 'rejected' AND reason LIKE $3 LIMIT 1`,
      [orderId, escapeControls(providerTradeNo), `${code}:%`],
    );
    return rows.length > 0;
  }

  async record(
    callback: ReceivedCallback,
    record: CallbackRecord,
    manager: EntityManager = this.dataSource.manager,
  ) {
    const headers = Object.fromEntries(
      Object.entries(callback.headers)
        .filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()))
        .map(([name, value]) => [escapeControls(name), escapeControls(value)]),
    );
    // Hostile input is recorded, not dropped: the body byte for byte, reasons and ids with controls escaped.
    const { body, encoding } = storableBody(callback.raw ?? Buffer.from(callback.body, 'utf8'));
    await manager.query(
      `INSERT INTO "payments".callbacks
         (provider, headers, body, body_encoding, verdict, reason, order_id, provider_trade_no)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        callback.provider,
        JSON.stringify(headers),
        body,
        encoding,
        record.verdict,
        record.reason === undefined ? null : escapeControls(record.reason),
        record.orderId ?? null,
        record.providerTradeNo === undefined ? null : escapeControls(record.providerTradeNo),
      ],
    );
  }
}
