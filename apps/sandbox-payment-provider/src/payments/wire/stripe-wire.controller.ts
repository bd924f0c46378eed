import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  ServiceUnavailableException,
  UnauthorizedException,
  UseFilters,
} from '@nestjs/common';

import { type SandboxKeys } from '../../keys/sandbox-keys';
import { SANDBOX_CONFIG, type SandboxConfig } from '../../sandbox.config';
import { FaultSwitches } from '../application/fault-switches';
import { PaymentLedger } from '../application/payment-ledger';
import { SandboxError } from '../domain/sandbox-payment';
import { SANDBOX_KEYS } from '../sandbox-keys.provider';
import { checkoutSessionObject, paymentIntentObject, refundObject } from './stripe-objects';
import { StripeWireErrorFilter } from './stripe-wire-error.filter';
import { field, integer, nested } from './wire-fields';

/**
 * Stripe's API as the official `stripe` SDK calls it (form-encoded requests, `Authorization: Bearer sk_…`,
 * JSON answers): Checkout Sessions, PaymentIntent search by metadata, refunds. Point the SDK here with its
 * host/port/protocol settings. Payments go into the same ledger as the sandbox's own API, so the cashier,
 * the fault switches and the signed `payment_intent.succeeded` events work alike.
 */
@Controller('v1')
@UseFilters(StripeWireErrorFilter)
export class StripeWireController {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly faults: FaultSwitches,
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    @Inject(SANDBOX_KEYS) private readonly keys: SandboxKeys,
  ) {}

  @Post('checkout/sessions')
  @HttpCode(200)
  async createSession(
    @Headers('authorization') auth: string | undefined,
    @Body() body: Record<string, unknown>,
  ) {
    this.authenticate(auth);
    const { failCreates, createDelayMs } = this.faults.get();
    if (createDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, createDelayMs));
    if (failCreates) throw new ServiceUnavailableException('fault injected: creating payments fails');
    if (!this.config.stripeWebhookUrl) {
      throw new SandboxError('SANDBOX.INVALID', 'no webhook endpoint: set SANDBOX_STRIPE_WEBHOOK_URL');
    }
    if (body.mode !== 'payment') throw new SandboxError('SANDBOX.INVALID', 'mode must be payment');
    const lineItems = body.line_items;
    if (!Array.isArray(lineItems) || lineItems.length !== 1)
      throw new SandboxError('SANDBOX.INVALID', 'exactly one line item is supported');
    const priceData = nested(lineItems[0], 'price_data');
    const metadata = nested(body.payment_intent_data, 'metadata');
    const expiresAt = integer(body, 'expires_at');
    const payment = this.ledger.create(
      'stripe',
      {
        outTradeNo: field(body, 'client_reference_id'),
        orderId: field(metadata, 'order_id'),
        amountMinor: integer(priceData, 'unit_amount') * integer(lineItems[0], 'quantity'),
        currency: field(priceData, 'currency').toUpperCase(),
        notifyUrl: this.config.stripeWebhookUrl,
        expiresAt: new Date(expiresAt * 1000).toISOString(),
      },
      new Date(),
    );
    return checkoutSessionObject(payment, this.cashierUrl(payment.paymentId));
  }

  @Get('payment_intents/search')
  search(@Headers('authorization') auth: string | undefined, @Query('query') query: string | undefined) {
    this.authenticate(auth);
    // The one query Keyflow makes: metadata['out_trade_no']:'<value>'.
    const match = /^metadata\['out_trade_no'\]:'([A-Za-z0-9_-]{1,64})'$/.exec(query ?? '');
    if (!match) throw new SandboxError('SANDBOX.INVALID', `unsupported search query: ${query}`);
    let data: object[] = [];
    try {
      data = [paymentIntentObject(this.ledger.find('stripe', match[1]!))];
    } catch (error) {
      if (!(error instanceof SandboxError && error.code === 'SANDBOX.NOT_FOUND')) throw error;
    }
    return {
      object: 'search_result',
      url: '/v1/payment_intents/search',
      has_more: false,
      next_page: null,
      data,
    };
  }

  @Get('payment_intents/:id')
  retrieve(@Headers('authorization') auth: string | undefined, @Param('id') id: string) {
    this.authenticate(auth);
    return paymentIntentObject(this.ledger.get(id));
  }

  @Post('refunds')
  @HttpCode(200)
  refund(
    @Headers('authorization') auth: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: Record<string, unknown>,
  ) {
    this.authenticate(auth);
    if (!idempotencyKey) throw new SandboxError('SANDBOX.INVALID', 'Idempotency-Key header is required');
    const payment = this.ledger.get(field(body, 'payment_intent'));
    const refund = this.ledger.refund(
      'stripe',
      payment.outTradeNo,
      idempotencyKey,
      integer(body, 'amount'),
      new Date(),
    );
    return refundObject(payment, refund);
  }

  private authenticate(header: string | undefined): void {
    if (header !== `Bearer ${this.keys.stripeSecretKey}`) {
      throw new UnauthorizedException('Invalid API Key provided');
    }
  }

  private cashierUrl(paymentId: string): string {
    return `${this.config.publicUrl}/sandbox/cashier/${paymentId}`;
  }
}
