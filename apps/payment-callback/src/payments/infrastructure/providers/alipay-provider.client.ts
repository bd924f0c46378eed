import { AlipayRequestError, AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';

import {
  type CreatedPayment,
  type CreatePaymentRequest,
  ProviderCallError,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../../application/payment-provider.port';
import { type AlipayApiConfig, type AlipayConfig } from '../../config/payments.config';
import { formatDecimalAmount, parseDecimalAmount } from '../../domain/money';
import { type ChannelClient } from './channel-client';

const SUCCESS = '10000';
/** Alipay's answers that mean "try again later" rather than "no". */
const RETRYABLE = new Set(['20000', '20001', 'ACQ.SYSTEM_ERROR', 'aop.ACQ.SYSTEM_ERROR']);

/**
 * Alipay through the official `alipay-sdk` (OpenAPI gateway, RSA2): `alipay.trade.precreate` makes the
 * payment (its `qr_code` is the cashier link), `alipay.trade.query` and `alipay.trade.refund` by our
 * out_trade_no; every answer's signature is checked with Alipay's public key (validateSign). Amounts are
 * in the configured currency (ALIPAY_CURRENCY): a payment in another one is refused, not converted.
 */
export class AlipayProviderClient implements ChannelClient {
  private readonly sdk: AlipaySdk;

  constructor(
    private readonly config: AlipayConfig & { api: AlipayApiConfig },
    timeoutMs: number,
  ) {
    this.sdk = new AlipaySdk({
      appId: config.appId,
      privateKey: config.api.appPrivateKey.reveal().toString('utf8'),
      keyType: 'PKCS8',
      signType: 'RSA2',
      alipayPublicKey: config.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      gateway: config.api.gatewayUrl,
      timeout: timeoutMs,
      camelcase: false,
    });
  }

  async create(request: CreatePaymentRequest): Promise<CreatedPayment> {
    if (request.amount.currency !== this.config.currency) {
      throw new ProviderCallError(
        'PROVIDER.REFUSED',
        `alipay settles in ${this.config.currency}, the order is in ${request.amount.currency}`,
      );
    }
    const result = await this.exec('alipay.trade.precreate', {
      notifyUrl: request.notifyUrl,
      bizContent: {
        out_trade_no: request.outTradeNo,
        total_amount: formatDecimalAmount(request.amount.amountMinor),
        subject: `Order ${request.orderId}`,
        time_expire: beijingTime(new Date(request.expiresAt)),
        ...(this.config.currency === 'CNY' ? {} : { trans_currency: this.config.currency }),
      },
    });
    const qrCode = result.qr_code;
    if (typeof qrCode !== 'string' || !/^https?:\/\//.test(qrCode)) {
      throw new ProviderCallError('PROVIDER.UNAVAILABLE', 'alipay precreate answered no qr_code');
    }
    return { providerPaymentId: request.outTradeNo, cashierUrl: qrCode };
  }

  async query(outTradeNo: string): Promise<ProviderPaymentStatus> {
    const result = await this.exec('alipay.trade.query', { bizContent: { out_trade_no: outTradeNo } }, [
      'ACQ.TRADE_NOT_EXIST',
    ]);
    if (result.code !== SUCCESS) return { status: 'not-found' };
    const status = result.trade_status;
    if (status === 'TRADE_CLOSED') return { status: 'closed' };
    if (status !== 'TRADE_SUCCESS' && status !== 'TRADE_FINISHED') return { status: 'pending' };
    const paidAt =
      typeof result.send_pay_date === 'string' ? fromBeijingTime(result.send_pay_date) : undefined;
    return {
      status: 'paid',
      providerTradeNo: String(result.trade_no),
      amount: {
        amountMinor: parseDecimalAmount(String(result.total_amount)),
        currency: this.config.currency,
      },
      ...(paidAt ? { paidAt } : {}),
    };
  }

  async refund(request: RefundRequest): Promise<{ providerRefundId: string }> {
    // out_request_no is Alipay's idempotency key: the same one never refunds twice.
    const outRequestNo = request.idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
    const result = await this.exec('alipay.trade.refund', {
      bizContent: {
        out_trade_no: request.outTradeNo,
        refund_amount: formatDecimalAmount(request.amount.amountMinor),
        out_request_no: outRequestNo,
        refund_reason: request.reason.slice(0, 256),
      },
    });
    return { providerRefundId: `${String(result.trade_no)}/${outRequestNo}` };
  }

  /** One signed gateway call; a business failure other than `allowed` is a ProviderCallError. */
  private async exec(
    method: string,
    params: Record<string, unknown>,
    allowed: string[] = [],
  ): Promise<AlipaySdkCommonResult> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.sdk.exec(method, params, { validateSign: true });
    } catch (error) {
      // Transport failures, non-200 answers and answers whose signature does not verify.
      const message = error instanceof AlipayRequestError ? error.message.slice(0, 300) : String(error);
      throw new ProviderCallError('PROVIDER.UNAVAILABLE', `alipay ${method}: ${message}`);
    }
    if (result.code === SUCCESS || (result.sub_code && allowed.includes(result.sub_code))) return result;
    const code =
      RETRYABLE.has(result.code) || RETRYABLE.has(result.sub_code ?? '')
        ? 'PROVIDER.UNAVAILABLE'
        : 'PROVIDER.REFUSED';
    throw new ProviderCallError(
      code,
      `alipay ${method}: ${result.code} ${result.sub_code ?? ''} ${result.sub_msg ?? result.msg}`,
    );
  }
}

/** "yyyy-MM-dd HH:mm:ss" in Beijing time (UTC+8), as Alipay reads and writes times. */
function beijingTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function fromBeijingTime(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(text);
  const date = match ? new Date(`${match[1]}T${match[2]}+08:00`) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
