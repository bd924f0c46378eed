import {
  BadRequestException,
  ConflictException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';

import { InventoryError, type InventoryErrorCode } from '../domain/inventory.errors';

const STATUS: Partial<Record<InventoryErrorCode, new (body: object) => HttpException>> = {
  'INVENTORY.UNKNOWN_SKU': NotFoundException,
  'INVENTORY.INVALID_SKU': UnprocessableEntityException,
  'INVENTORY.SOURCE_CHANGE_REFUSED': ConflictException,
  'INVENTORY.NOT_A_POOL_SKU': ConflictException,
  'INVENTORY.INVALID_KEY_FILE': BadRequestException,
};

/** Maps typed inventory errors to HTTP answers with their code; anything else is a plain 500. */
export async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InventoryError) {
      const Exception = STATUS[error.code] ?? InternalServerErrorException;
      throw new Exception({ code: error.code, message: error.message, ...(error.details ?? {}) });
    }
    throw error;
  }
}
