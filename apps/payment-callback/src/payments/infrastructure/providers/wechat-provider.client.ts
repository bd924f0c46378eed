import { Wechatpay } from 'wechatpay-axios-plugin';

import {
  type CreatedPayment,
  type CreatePaymentRequest,
  ProviderCallError,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../../application/payment-provider.port';
import { type WechatApiConfig } from '../../config/payments.config';
import { type ChannelClient } from './channel-client';

type Call<T> = (config: object) => Promise<{ data: T }>;

/** The paths of the SDK's chained client used here (it builds any path as a property, typed loosely). */
interface WechatpayChain {
  v3: {
    pay: {
      transactions: {
        native: { post: Call<{ code_url?: string }> };
        outTradeNo: { _out_trade_no_: { get: Call<WechatTransaction> } };
      };
    };
    refund: { domestic: { refunds: { post: Call<{ refund_id?: string }> } } };
  };
}

interface WechatTransaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number; currency?: string };
}

/**
 * WeChat Pay API v3 through wechatpay-axios-plugin (the community SDK WeChat's developer forum points
 * Node users to): every request signed WECHATPAY2-SHA256-RSA2048 with the merchant API key, every answer's
 * Wechatpay-Signature checked with the platform key named by its serial. Native payment (code_url is the
 * cashier link), query by out_trade_no (appid and mchid must be ours), refund with out_refund_no as the
 * idempotency key.
 */
export class WechatProviderClient implements ChannelClient {
  private readonly wxpay: WechatpayChain;

  constructor(
    private readonly config: WechatApiConfig,
    platformPublicKey: import('node:crypto').KeyObject,
    timeoutMs: number,
  ) {
    this.wxpay = new Wechatpay({
      mchid: config.mchId,
      serial: config.merchantSerial,
      privateKey: config.merchantPrivateKey.export({ type: 'pkcs8', format: 'pem' }),
      certs: { [config.platformSerial]: platformPublicKey.export({ type: 'spki', format: 'pem' }) },
      baseURL: `${config.apiUrl}/`,
      timeout: timeoutMs,
    }) as unknown as WechatpayChain;
  }

  async create(request: CreatePaymentRequest): Promise<CreatedPayment> {
    const data = await this.call<{ code_url?: string }>('native', () =>
      this.wxpay.v3.pay.transactions.native.post({
        appid: this.config.appId,
        mchid: this.config.mchId,
        description: `Order ${request.orderId}`,
        out_trade_no: request.outTradeNo,
        time_expire: rfc3339Beijing(new Date(request.expiresAt)),
        notify_url: request.notifyUrl,
        amount: { total: request.amount.amountMinor, currency: request.amount.currency },
      }),
    );
    if (typeof data.code_url !== 'string' || data.code_url === '') {
      throw new ProviderCallError('PROVIDER.UNAVAILABLE', 'wechat native answered no code_url');
    }
    return { providerPaymentId: request.outTradeNo, cashierUrl: data.code_url };
  }

  async query(outTradeNo: string): Promise<ProviderPaymentStatus> {
    let trade: WechatTransaction;
    try {
      trade = await this.call<WechatTransaction>('query', () =>
        this.wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({
          params: { mchid: this.config.mchId },
          out_trade_no: outTradeNo,
        }),
      );
    } catch (error) {
      if (error instanceof ProviderCallError && /ORDER_NOT_EXIST/.test(error.message))
        return { status: 'not-found' };
      throw error;
    }
    if (
      trade.mchid !== this.config.mchId ||
      trade.appid !== this.config.appId ||
      trade.out_trade_no !== outTradeNo
    ) {
      throw new ProviderCallError('PROVIDER.UNAVAILABLE', 'wechat query answered another merchant’s trade');
    }
    if (trade.trade_state === 'CLOSED' || trade.trade_state === 'REVOKED') return { status: 'closed' };
    if (trade.trade_state !== 'SUCCESS' && trade.trade_state !== 'REFUND') return { status: 'pending' };
    if (!trade.transaction_id || !Number.isSafeInteger(trade.amount?.total) || !trade.amount?.currency) {
      throw new ProviderCallError(
        'PROVIDER.UNAVAILABLE',
        'wechat query answered a paid trade without its facts',
      );
    }
    return {
      status: 'paid',
      providerTradeNo: trade.transaction_id,
      amount: { amountMinor: trade.amount.total!, currency: trade.amount.currency },
      ...(trade.success_time && !Number.isNaN(Date.parse(trade.success_time))
        ? { paidAt: new Date(trade.success_time).toISOString() }
        : {}),
    };
  }

  async refund(request: RefundRequest): Promise<{ providerRefundId: string }> {
    const outRefundNo = request.idempotencyKey.replace(/[^0-9A-Za-z_\-|*@]/g, '').slice(0, 64);
    const data = await this.call<{ refund_id?: string }>('refund', () =>
      this.wxpay.v3.refund.domestic.refunds.post({
        out_trade_no: request.outTradeNo,
        out_refund_no: outRefundNo,
        reason: request.reason.slice(0, 80),
        // Keyflow refunds whole orders: the refund is the whole paid amount.
        amount: {
          refund: request.amount.amountMinor,
          total: request.amount.amountMinor,
          currency: request.amount.currency,
        },
      }),
    );
    if (!data.refund_id)
      throw new ProviderCallError('PROVIDER.UNAVAILABLE', 'wechat refund answered no refund_id');
    return { providerRefundId: data.refund_id };
  }

  /** One API call; its answer's data, or a ProviderCallError (4xx refused, the rest worth retrying). */
  private async call<T>(what: string, request: () => Promise<{ data: T }>): Promise<T> {
    try {
      return (await request()).data;
    } catch (error) {
      const response = (
        error as { response?: { status?: number; data?: { code?: string; message?: string } } }
      ).response;
      const status = response?.status;
      const refused = status !== undefined && status >= 400 && status < 500 && status !== 429;
      const detail = response?.data?.code
        ? `${response.data.code} ${response.data.message ?? ''}`
        : (error as Error).message;
      throw new ProviderCallError(
        refused ? 'PROVIDER.REFUSED' : 'PROVIDER.UNAVAILABLE',
        `wechat ${what}: ${status ?? 'no verified answer'} ${String(detail).slice(0, 300)}`,
      );
    }
  }
}

/** WeChat's time form: RFC 3339 with the +08:00 offset, e.g. 2018-06-08T10:34:56+08:00. */
export function rfc3339Beijing(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}
