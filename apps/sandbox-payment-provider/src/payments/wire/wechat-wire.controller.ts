import { Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';

import { type SandboxKeys } from '../../keys/sandbox-keys';
import { SANDBOX_CONFIG, type SandboxConfig } from '../../sandbox.config';
import { FaultSwitches } from '../application/fault-switches';
import { PaymentLedger } from '../application/payment-ledger';
import { type SandboxPayment, SandboxError } from '../domain/sandbox-payment';
import { SANDBOX_KEYS } from '../sandbox-keys.provider';
import { rfc3339Beijing, signedAnswerHeaders, verifiedMerchant } from './wechat-api-v3';
import { field, integer, nested } from './wire-fields';

const TRADE_STATE = { pending: 'NOTPAY', paid: 'SUCCESS', refunded: 'REFUND', closed: 'CLOSED' } as const;

type Answer = { status: number; body: object };

/**
 * WeChat Pay API v3 as a merchant's client calls it: JSON requests signed WECHATPAY2-SHA256-RSA2048 with
 * the merchant's API key (checked with its public half), answers signed by the platform key
 * (Wechatpay-* headers). Native payment, query by out_trade_no, domestic refunds, on the sandbox's ledger.
 */
@Controller('v3')
export class WechatWireController {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly faults: FaultSwitches,
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    @Inject(SANDBOX_KEYS) private readonly keys: SandboxKeys,
  ) {}

  @Post('pay/transactions/native')
  async native(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.answer(req, res, async (body) => {
      const { failCreates, createDelayMs } = this.faults.get();
      if (createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, createDelayMs));
      if (failCreates) return { status: 500, body: { code: 'SYSTEM_ERROR', message: 'fault injected' } };
      if (body.appid !== this.config.wechat.appId || body.mchid !== this.config.wechat.mchId) {
        return {
          status: 400,
          body: { code: 'APPID_MCHID_NOT_MATCH', message: 'appid and mchid do not match' },
        };
      }
      const amount = nested(body, 'amount');
      const expires =
        typeof body.time_expire === 'string' ? new Date(body.time_expire) : new Date(Date.now() + 7200_000);
      const outTradeNo = field(body, 'out_trade_no', 32);
      const payment = this.ledger.create(
        'wechat',
        {
          outTradeNo,
          orderId: outTradeNo,
          amountMinor: integer(amount, 'total'),
          currency: typeof amount.currency === 'string' ? amount.currency : 'CNY',
          notifyUrl: field(body, 'notify_url'),
          expiresAt: expires.toISOString(),
        },
        new Date(),
      );
      return {
        status: 200,
        body: { code_url: `${this.config.publicUrl}/sandbox/cashier/${payment.paymentId}` },
      };
    });
  }

  @Get('pay/transactions/out-trade-no/:outTradeNo')
  async query(
    @Req() req: Request,
    @Res() res: Response,
    @Param('outTradeNo') outTradeNo: string,
    @Query('mchid') mchid: string | undefined,
  ): Promise<void> {
    await this.answer(req, res, async () => {
      if (mchid !== this.config.wechat.mchId)
        return { status: 400, body: { code: 'PARAM_ERROR', message: 'mchid' } };
      return { status: 200, body: this.transactionOf(this.ledger.find('wechat', outTradeNo)) };
    });
  }

  @Post('refund/domestic/refunds')
  async refund(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.answer(req, res, async (body) => {
      const amount = nested(body, 'amount');
      const outTradeNo = field(body, 'out_trade_no', 32);
      const payment = this.ledger.find('wechat', outTradeNo);
      if (integer(amount, 'total') !== payment.amountMinor) {
        return { status: 400, body: { code: 'PARAM_ERROR', message: 'amount.total is not the order total' } };
      }
      const refund = this.ledger.refund(
        'wechat',
        outTradeNo,
        field(body, 'out_refund_no', 64),
        integer(amount, 'refund'),
        new Date(),
      );
      return {
        status: 200,
        body: {
          refund_id: `50${refund.refundId.slice(3)}`,
          out_refund_no: body.out_refund_no,
          transaction_id: payment.transactionId,
          out_trade_no: outTradeNo,
          channel: 'ORIGINAL',
          status: 'SUCCESS',
          create_time: rfc3339Beijing(new Date(refund.refundedAt)),
          amount: { refund: refund.amountMinor, total: payment.amountMinor, currency: payment.currency },
        },
      };
    });
  }

  /** Checks the merchant's signature, runs `handle`, and signs whatever it answers. */
  private async answer(
    req: Request,
    res: Response,
    handle: (body: Record<string, unknown>) => Promise<Answer>,
  ) {
    const raw = (req as Request & { rawBody?: Buffer }).rawBody?.toString('utf8') ?? '';
    const merchant = verifiedMerchant(
      { method: req.method, url: req.originalUrl, body: raw, authorization: req.headers.authorization },
      this.keys.wechatMerchantPublicKey,
      new Date(),
    );
    let answer: Answer;
    if (merchant !== this.config.wechat.mchId) {
      answer = { status: 401, body: { code: 'SIGN_ERROR', message: 'signature does not verify' } };
    } else {
      try {
        answer = await handle(raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
      } catch (error) {
        if (!(error instanceof SandboxError)) throw error;
        answer =
          error.code === 'SANDBOX.NOT_FOUND'
            ? { status: 404, body: { code: 'ORDER_NOT_EXIST', message: error.message } }
            : { status: 400, body: { code: 'PARAM_ERROR', message: error.message } };
      }
    }
    const text = JSON.stringify(answer.body);
    res
      .status(answer.status)
      .set(
        signedAnswerHeaders(text, this.config.wechat.serial, this.keys.wechatPlatformPrivateKey, new Date()),
      )
      .type('application/json')
      .send(text);
  }

  private transactionOf(payment: SandboxPayment) {
    return {
      appid: this.config.wechat.appId,
      mchid: this.config.wechat.mchId,
      out_trade_no: payment.outTradeNo,
      trade_type: 'NATIVE',
      trade_state: TRADE_STATE[payment.status],
      ...(payment.transactionId
        ? { transaction_id: payment.transactionId, success_time: payment.paidAt }
        : {}),
      amount: { total: payment.amountMinor, currency: payment.currency },
    };
  }
}
