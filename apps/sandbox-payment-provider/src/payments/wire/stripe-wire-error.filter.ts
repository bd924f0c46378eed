import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import { type Response } from 'express';

import { SandboxError } from '../domain/sandbox-payment';

const STATUS = { 'SANDBOX.NOT_FOUND': 404, 'SANDBOX.CONFLICT': 400, 'SANDBOX.INVALID': 400 } as const;

/** Errors in Stripe's shape (`{error: {type, code, message}}`), which the stripe SDK turns into its errors. */
@Catch(SandboxError, HttpException)
export class StripeWireErrorFilter implements ExceptionFilter {
  catch(error: SandboxError | HttpException, host: ArgumentsHost): void {
    const status = error instanceof SandboxError ? STATUS[error.code] : error.getStatus();
    const type =
      status === 401 ? 'authentication_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(status)
      .json({
        error: { type, code: status === 404 ? 'resource_missing' : undefined, message: error.message },
      });
  }
}
