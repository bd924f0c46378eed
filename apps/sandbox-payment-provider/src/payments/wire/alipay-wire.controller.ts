import { Body, Controller, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { type Response } from 'express';

import { type SandboxKeys } from '../../keys/sandbox-keys';
import { SANDBOX_CONFIG, type SandboxConfig } from '../../sandbox.config';
import { FaultSwitches } from '../application/fault-switches';
import { PaymentLedger } from '../application/payment-ledger';
import { yuan } from '../domain/notifications/alipay-notification.builder';
import { type SandboxPayment, SandboxError } from '../domain/sandbox-payment';
import { SANDBOX_KEYS } from '../sandbox-keys.provider';
import {
  beijingTime,
  businessError,
  fromBeijingTime,
  merchantSignatureValid,
  minorOf,
  signedGatewayAnswer,
} from './alipay-gateway';

const SUCCESS = { code: '10000', msg: 'Success' };
const TRADE_STATUS = {
  pending: 'WAIT_BUYER_PAY',
  paid: 'TRADE_SUCCESS',
  refunded: 'TRADE_CLOSED',
  closed: 'TRADE_CLOSED',
};

/**
 * Alipay's OpenAPI gateway as the official `alipay-sdk` calls it (`exec`): common parameters in the query
 * string, `biz_content` in a form body, the whole signed RSA2 with the merchant's app key; answers signed
 * with Alipay's key. alipay.trade.precreate, alipay.trade.query and alipay.trade.refund, on the same
 * ledger as the sandbox's own API.
 */
@Controller()
export class AlipayWireController {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly faults: FaultSwitches,
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    @Inject(SANDBOX_KEYS) private readonly keys: SandboxKeys,
  ) {}

  @Post('gateway.do')
  @HttpCode(200)
  async gateway(
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const params = stringsOf({ ...query, ...(typeof body === 'object' && body ? body : {}) });
    const method = params.method ?? 'unknown';
    const answer = await this.answer(method, params);
    res
      .type('application/json; charset=utf-8')
      .send(signedGatewayAnswer(method, answer, this.keys.alipayPrivateKey));
  }

  private async answer(method: string, params: Record<string, string>): Promise<object> {
    if (!merchantSignatureValid(params, this.keys.alipayAppPublicKey)) {
      return {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-signature',
        sub_msg: 'RSA2 check failed',
      };
    }
    if (params.app_id !== this.config.alipay.appId) {
      return {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-app-id',
        sub_msg: 'unknown app_id',
      };
    }
    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.biz_content ?? '') as Record<string, unknown>;
    } catch {
      return {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.missing-biz-content',
        sub_msg: 'biz_content',
      };
    }
    try {
      switch (method) {
        case 'alipay.trade.precreate':
          return await this.precreate(params, biz);
        case 'alipay.trade.query':
          return this.query(biz);
        case 'alipay.trade.refund':
          return this.refund(biz);
        default:
          return { code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: method };
      }
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      if (error.code === 'SANDBOX.NOT_FOUND') return businessError('ACQ.TRADE_NOT_EXIST', error.message);
      return businessError('ACQ.TRADE_STATUS_ERROR', error.message);
    }
  }

  private async precreate(params: Record<string, string>, biz: Record<string, unknown>): Promise<object> {
    const { failCreates, createDelayMs } = this.faults.get();
    if (createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, createDelayMs));
    if (failCreates)
      return { code: '20000', msg: 'Service Currently Unavailable', sub_code: 'ACQ.SYSTEM_ERROR' };
    const amountMinor = minorOf(biz.total_amount);
    const outTradeNo = typeof biz.out_trade_no === 'string' ? biz.out_trade_no : '';
    if (!amountMinor || !/^[A-Za-z0-9_-]{6,64}$/.test(outTradeNo) || !params.notify_url) {
      return {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-parameter',
        sub_msg: 'out_trade_no, total_amount, notify_url',
      };
    }
    const expires = fromBeijingTime(biz.time_expire) ?? new Date(Date.now() + 2 * 3600_000);
    const payment = this.ledger.create(
      'alipay',
      {
        outTradeNo,
        orderId: outTradeNo,
        amountMinor,
        currency: typeof biz.trans_currency === 'string' ? biz.trans_currency : 'CNY',
        notifyUrl: params.notify_url,
        expiresAt: expires.toISOString(),
      },
      new Date(),
    );
    return {
      ...SUCCESS,
      out_trade_no: outTradeNo,
      qr_code: `${this.config.publicUrl}/sandbox/cashier/${payment.paymentId}`,
    };
  }

  private query(biz: Record<string, unknown>): object {
    const payment = this.ledger.find('alipay', String(biz.out_trade_no ?? ''));
    if (payment.status === 'pending') {
      // Alipay knows a precreated trade only once the buyer has scanned it.
      return businessError('ACQ.TRADE_NOT_EXIST', 'trade not scanned yet');
    }
    return { ...SUCCESS, ...tradeOf(payment) };
  }

  private refund(biz: Record<string, unknown>): object {
    const outTradeNo = String(biz.out_trade_no ?? '');
    const amountMinor = minorOf(biz.refund_amount);
    const outRequestNo =
      typeof biz.out_request_no === 'string' && biz.out_request_no ? biz.out_request_no : outTradeNo;
    if (!amountMinor)
      return {
        code: '40002',
        msg: 'Invalid Arguments',
        sub_code: 'isv.invalid-parameter',
        sub_msg: 'refund_amount',
      };
    const payment = this.ledger.find('alipay', outTradeNo);
    const refund = this.ledger.refund('alipay', outTradeNo, outRequestNo, amountMinor, new Date());
    return {
      ...SUCCESS,
      trade_no: payment.transactionId,
      out_trade_no: outTradeNo,
      refund_fee: yuan(refund.amountMinor),
      gmt_refund_pay: beijingTime(new Date(refund.refundedAt)),
      fund_change: 'Y',
    };
  }
}

function tradeOf(payment: SandboxPayment) {
  return {
    trade_no: payment.transactionId,
    out_trade_no: payment.outTradeNo,
    trade_status: TRADE_STATUS[payment.status],
    total_amount: yuan(payment.amountMinor),
    ...(payment.paidAt ? { send_pay_date: beijingTime(new Date(payment.paidAt)) } : {}),
  };
}

function stringsOf(raw: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') params[key] = value;
  return params;
}
