import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { RequireScope } from '@keyflow/service-kit';

import { AuditQueueRepository } from '../infrastructure/audit-queue.repository';
import { PageQuery } from './review-decision.dto';

/** Pass-first approvals waiting for a later audit, oldest first, with what every rule said. */
@Controller('v1/risk/audits')
export class AuditsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audits: AuditQueueRepository,
  ) {}

  @Get()
  @RequireScope('read')
  async list(@Query() query: PageQuery) {
    const items = await this.audits.listPending(this.dataSource.manager, query.limit, query.offset);
    return { limit: query.limit, offset: query.offset, items };
  }
}
