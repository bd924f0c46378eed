import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { HttpException, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { checkoutsShed } from '@keyflow/observability';
import { PROBLEM_JSON, toProblem } from '@keyflow/service-kit';

import { ADMISSION_SETTINGS, type AdmissionSettings } from '../application/admit-checkout/admission-settings';
import { InFlightLimit } from '../domain/in-flight-limit';

/** A place frees within a request's time; the buyer comes back after a second. */
const RETRY_AFTER_SECONDS = 1;

/** Built once: the refusal in the one error shape (problem details), costing nothing per request. */
const BUSY_BODY = JSON.stringify(
  toProblem(
    new HttpException(
      {
        code: 'CHECKOUT.BUSY',
        message: `the shop is busy; please try again in ${RETRY_AFTER_SECONDS} s`,
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      },
      503,
    ),
  ),
);

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/** `POST /v1/orders`, with or without a query string or trailing slash. */
export function isCheckout(request: IncomingMessage): boolean {
  if (request.method !== 'POST') return false;
  const path = (request.url ?? '').split('?')[0]!;
  return path === '/v1/orders' || path === '/v1/orders/';
}

/**
 * Sheds checkouts past CHECKOUT_MAX_IN_FLIGHT in this process at the HTTP server itself, before Express,
 * body parsing, request logging, guards, pipes or any query (see InFlightLimit for why): under a flood the
 * refusal must cost next to nothing, or refusing is what takes the process's CPU. Same answer as the
 * backlog bound: 503, Retry-After, code CHECKOUT.BUSY. It wraps the server's request listener (the Express
 * app) once the application is assembled; every other request goes straight through.
 */
@Injectable()
export class CheckoutFrontDoor implements OnApplicationBootstrap {
  private readonly limit: InFlightLimit;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ADMISSION_SETTINGS) settings: AdmissionSettings,
  ) {
    this.limit = new InFlightLimit(settings.maxInFlight);
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return;
    const inner = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (isCheckout(request)) {
        if (!this.limit.tryEnter()) {
          checkoutsShed.inc();
          response.writeHead(503, {
            'content-type': `${PROBLEM_JSON}; charset=utf-8`,
            'content-length': Buffer.byteLength(BUSY_BODY),
            'retry-after': String(RETRY_AFTER_SECONDS),
          });
          response.end(BUSY_BODY);
          return;
        }
        // 'close' fires once whether the answer was sent or the client went away: the place is freed either way.
        response.once('close', () => this.limit.leave());
      }
      for (const listener of inner) listener.call(server, request, response);
    });
  }
}
