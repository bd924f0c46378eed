import {
  Controller,
  DefaultValuePipe,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { type Request } from 'express';
import { DataSource } from 'typeorm';

import { type ApiKeyRecord, RequireScope } from '@keyflow/service-kit';

import { ImportKeysHandler } from '../application/import-keys/import-keys.handler';
import { keyFileFormat, parseKeyFile } from '../application/import-keys/key-file-parser';
import { InventoryError } from '../domain/inventory.errors';
import { KeyBatchRepository } from '../infrastructure/key-batch.repository';
import { answering } from './http-errors';

/**
 * Card-key imports: `POST /v1/skus/:sku/keys` with a text/plain body (one key per line) or text/csv (a
 * `key` column). The answer reports counts and duplicate line numbers, never keys.
 */
@Controller('v1')
export class KeyImportController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly importer: ImportKeysHandler,
    private readonly batches: KeyBatchRepository,
  ) {}

  @Post('skus/:sku/keys')
  @HttpCode(201)
  @RequireScope('admin')
  importKeys(
    @Param('sku') sku: string,
    @Req() request: Request & { apiKey?: ApiKeyRecord },
    @Headers('content-type') contentType: string | undefined,
    @Headers('x-import-label') label: string | undefined,
  ) {
    return answering(async () => {
      if (typeof request.body !== 'string') {
        throw new InventoryError('INVENTORY.INVALID_KEY_FILE', 'send the keys as text/plain or text/csv');
      }
      const keys = await parseKeyFile(request.body, keyFileFormat(contentType));
      return this.dataSource.transaction((manager) =>
        this.importer.import(manager, {
          sku,
          keys,
          origin: 'api',
          label: label?.slice(0, 200),
          importedBy: request.apiKey?.name,
        }),
      );
    });
  }

  @Get('imports')
  @RequireScope('read')
  history(
    @Query('sku') sku: string | undefined,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ) {
    return this.batches.history(this.dataSource.manager, sku, Math.min(Math.max(limit, 1), 1000));
  }
}
