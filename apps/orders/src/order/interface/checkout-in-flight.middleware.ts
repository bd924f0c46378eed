import { HttpException, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

import { checkoutsShed } from '@keyflow/observability';
import { PROBLEM_JSON, toProblem } from '@keyflow/service-kit';

import { ADMISSION_SETTINGS, type AdmissionSettings } from '../application/admit-checkout/admission-settings';
import { InFlightLimit } from '../domain/in-flight-limit';

/** A place frees within a request's time; the buyer comes back after a second. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Sheds checkouts past CHECKOUT_MAX_IN_FLIGHT in this process before any guard, pipe or query runs (see
 * InFlightLimit for why), with the same 503 + Retry-After and code as the backlog bound.
 */
@Injectable()
export class CheckoutInFlightMiddleware implements NestMiddleware {
  private readonly limit: InFlightLimit;

  constructor(@Inject(ADMISSION_SETTINGS) settings: AdmissionSettings) {
    this.limit = new InFlightLimit(settings.maxInFlight);
  }

  use(_request: Request, response: Response, next: NextFunction): void {
    if (!this.limit.tryEnter()) {
      checkoutsShed.inc();
      // Answered here, before any guard or filter, in the one error shape (problem details).
      const problem = toProblem(
        new HttpException(
          {
            code: 'CHECKOUT.BUSY',
            message: `the shop is busy; please try again in ${RETRY_AFTER_SECONDS} s`,
            retryAfterSeconds: RETRY_AFTER_SECONDS,
          },
          503,
        ),
      );
      response
        .status(503)
        .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
        .type(PROBLEM_JSON)
        .send(JSON.stringify(problem));
      return;
    }
    // 'close' fires once whether the answer was sent or the client went away: the place is freed either way.
    response.once('close', () => this.limit.leave());
    next();
  }
}
