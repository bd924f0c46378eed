import {
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
} from '@nestjs/common';

import { DeliveryError, type DeliveryErrorCode } from '../domain/delivery.errors';

const STATUS: Partial<Record<DeliveryErrorCode, new (body: object) => HttpException>> = {
  'DELIVERY.NOT_FOUND': NotFoundException,
  'DELIVERY.NOT_REDELIVERABLE': ConflictException,
  'DELIVERY.PURCHASE_NOT_ABANDONED': NotFoundException,
  'DELIVERY.PURCHASE_ALREADY_RECONCILED': ConflictException,
};

/** Maps typed delivery errors to HTTP answers with their code; anything else is a plain 500. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DeliveryError) {
      const Exception = STATUS[error.code] ?? InternalServerErrorException;
      throw new Exception({ code: error.code, message: error.message });
    }
    throw error;
  }
}
