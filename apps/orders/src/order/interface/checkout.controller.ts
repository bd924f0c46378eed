import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { type Response } from 'express';

import { CheckoutAdmission } from '../application/admit-checkout/checkout-admission';
import { IdempotencyKeyReusedError, UnknownProductError } from '../application/place-order/checkout.errors';
import { PlaceOrderDto } from '../application/place-order/place-order.dto';
import { type CheckoutResult, PlaceOrderHandler } from '../application/place-order/place-order.handler';

/** Public: rate limited per client address (CHECKOUT_RATE_LIMIT per minute). */
@Controller('v1/orders')
@UseGuards(ThrottlerGuard)
export class CheckoutController {
  constructor(
    private readonly placeOrder: PlaceOrderHandler,
    private readonly admission: CheckoutAdmission,
  ) {}

  /**
   * Checkout. 201 with the new order; 200 with the same order when an Idempotency-Key is retried; 503 with
   * Retry-After when the pipeline's backlog (paid unfinished + placed not taken up) is past its bound.
   */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Throttle({ default: { limit: Number(process.env.CHECKOUT_RATE_LIMIT ?? 60), ttl: 60_000 } })
  async checkout(
    @Body() body: PlaceOrderDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CheckoutResult> {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{8,200}$/.test(idempotencyKey)) {
      throw new HttpException(
        {
          statusCode: 400,
          code: 'CHECKOUT.BAD_IDEMPOTENCY_KEY',
          message: 'Idempotency-Key must be 8–200 printable characters',
        },
        HttpStatus.BAD_REQUEST,
      );
    }
    await this.admitOrShed(idempotencyKey, response);
    try {
      const { result, replayed } = await this.placeOrder.execute(body, idempotencyKey);
      if (replayed) response.status(HttpStatus.OK).setHeader('Idempotent-Replayed', 'true');
      return result;
    } catch (error) {
      if (error instanceof UnknownProductError || error instanceof IdempotencyKeyReusedError) {
        throw new HttpException(
          { statusCode: 422, code: error.code, message: error.message },
          HttpStatus.UNPROCESSABLE_ENTITY,
        );
      }
      throw error;
    }
  }

  /**
   * 503, not 429: the refusal is about the shop's capacity, not this client's request rate (429 stays the
   * per-client limit above). Retry-After says when the work already accepted should have drained.
   */
  private async admitOrShed(idempotencyKey: string | undefined, response: Response): Promise<void> {
    const admission = await this.admission.admit(idempotencyKey);
    if (admission.admit) return;
    response.setHeader('Retry-After', String(admission.retryAfterSeconds));
    throw new HttpException(
      {
        statusCode: 503,
        code: 'CHECKOUT.BUSY',
        message: `the shop is busy finishing paid orders; please try again in ${admission.retryAfterSeconds} s`,
        retryAfterSeconds: admission.retryAfterSeconds,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}
