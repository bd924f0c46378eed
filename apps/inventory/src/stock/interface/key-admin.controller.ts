import { Controller, HttpCode, Post } from '@nestjs/common';

import { RequireScope } from '@keyflow/service-kit';

import { RewrapBatchesHandler } from '../application/rewrap-batches.handler';
import { answering } from './http-errors';

/** Master key rotation: re-wrap every batch's data key under the current master key. */
@Controller('v1/admin/key-batches')
export class KeyAdminController {
  constructor(private readonly rewrap: RewrapBatchesHandler) {}

  @Post('rewrap')
  @HttpCode(200)
  @RequireScope('admin')
  rewrapAll() {
    return answering(() => this.rewrap.rewrapAll());
  }
}
