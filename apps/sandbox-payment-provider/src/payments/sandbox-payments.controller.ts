import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Res,
  ServiceUnavailableException,
  UseFilters,
} from '@nestjs/common';
import { type Response } from 'express';

import { SANDBOX_CONFIG, type SandboxConfig } from '../sandbox.config';
import { CallbackDispatcher } from './application/callback-dispatcher';
import { FaultSwitches } from './application/fault-switches';
import { PaymentLedger } from './application/payment-ledger';
import { SandboxError } from './domain/sandbox-payment';
import { CreatePaymentDto, FlavorParams, PaymentParams, RefundDto } from './sandbox-payments.dto';
import { SandboxErrorFilter } from './sandbox-error.filter';

/** The provider's merchant API (create, query, refund) and the buyer's cashier, for every flavor. */
@Controller('sandbox')
@UseFilters(SandboxErrorFilter)
export class SandboxPaymentsController {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly dispatcher: CallbackDispatcher,
    private readonly faults: FaultSwitches,
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
  ) {}

  @Post(':flavor/payments')
  async create(@Param() { flavor }: FlavorParams, @Body() body: CreatePaymentDto) {
    const { failCreates, createDelayMs } = this.faults.get();
    if (createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, createDelayMs));
    if (failCreates) throw new ServiceUnavailableException('fault injected: creating payments fails');
    const payment = this.ledger.create(flavor, body, new Date());
    return {
      paymentId: payment.paymentId,
      cashierUrl: `${this.config.publicUrl}/sandbox/cashier/${payment.paymentId}`,
    };
  }

  @Get(':flavor/payments/:outTradeNo')
  query(@Param() { flavor, outTradeNo }: PaymentParams) {
    const payment = this.ledger.find(flavor, outTradeNo);
    return {
      paymentId: payment.paymentId,
      outTradeNo: payment.outTradeNo,
      status: payment.status,
      amountMinor: payment.amountMinor,
      currency: payment.currency,
      ...(payment.transactionId ? { transactionId: payment.transactionId, paidAt: payment.paidAt } : {}),
    };
  }

  @Post(':flavor/refunds')
  @HttpCode(200)
  refund(
    @Param() { flavor }: FlavorParams,
    @Body() body: RefundDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ) {
    if (!idempotencyKey) throw new SandboxError('SANDBOX.INVALID', 'Idempotency-Key header is required');
    const refund = this.ledger.refund(flavor, body.outTradeNo, idempotencyKey, body.amountMinor, new Date());
    return {
      refundId: refund.refundId,
      status: 'refunded',
      amountMinor: refund.amountMinor,
      refundedAt: refund.refundedAt,
    };
  }

  /** The cashier page a buyer is redirected to; its button does what POST /sandbox/pay/:id does. */
  @Get('cashier/:paymentId')
  cashier(@Param('paymentId') paymentId: string, @Res() res: Response): void {
    const payment = this.ledger.get(paymentId);
    const amount = `${(payment.amountMinor / 100).toFixed(2)} ${payment.currency}`;
    res
      .type('html')
      .send(
        `<!doctype html><title>Sandbox ${payment.flavor} cashier</title><h1>Pay ${amount}</h1>` +
          `<p>Order ${payment.orderId} — status ${payment.status}</p>` +
          `<form method="post" action="/sandbox/pay/${payment.paymentId}"><button>Pay</button></form>`,
      );
  }

  /** Simulates the buyer paying: the payment is marked paid and signed callbacks start going out. */
  @Post('pay/:paymentId')
  @HttpCode(200)
  pay(@Param('paymentId') paymentId: string) {
    const payment = this.ledger.pay(paymentId, new Date());
    this.dispatcher.paymentMade(payment);
    return { paymentId: payment.paymentId, status: payment.status, transactionId: payment.transactionId };
  }
}
