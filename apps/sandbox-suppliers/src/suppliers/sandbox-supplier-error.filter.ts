import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { type Response } from 'express';

import { SandboxSupplierError, type SandboxSupplierErrorCode } from './domain/sandbox-supplier.errors';

const STATUS: Record<SandboxSupplierErrorCode, number> = {
  'SUPPLIER.NOT_FOUND': 404,
  'SUPPLIER.UNKNOWN_SKU': 422,
  'SUPPLIER.OUT_OF_STOCK': 409,
  'SUPPLIER.IDEMPOTENCY_MISMATCH': 422,
  'SUPPLIER.INVALID': 400,
  'SUPPLIER.OUTAGE': 503,
};

/** Maps the sandbox's typed errors to the HTTP statuses a supplier API would answer with. */
@Catch(SandboxSupplierError)
export class SandboxSupplierErrorFilter implements ExceptionFilter {
  catch(error: SandboxSupplierError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent || response.writableEnded) return;
    response.status(STATUS[error.code]).json({ code: error.code, message: error.message });
  }
}
