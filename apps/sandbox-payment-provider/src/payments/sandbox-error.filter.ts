import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type Response } from 'express';

import { SandboxError } from './domain/sandbox-payment';

const STATUS = { 'SANDBOX.NOT_FOUND': 404, 'SANDBOX.CONFLICT': 409, 'SANDBOX.INVALID': 400 } as const;

/** Maps the sandbox's typed errors to the HTTP statuses a provider API would answer with. */
@Catch(SandboxError)
export class SandboxErrorFilter implements ExceptionFilter {
  catch(error: SandboxError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(STATUS[error.code])
      .json({ code: error.code, message: error.message });
  }
}
