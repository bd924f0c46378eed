import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { type Request } from 'express';
import { DataSource } from 'typeorm';

import { type ApiKeyRecord, RequireScope } from '@keyflow/service-kit';

import { CloseAuditHandler } from '../application/close-audit/close-audit.handler';
import { AuditAlreadyClosedError, AuditNotFoundError } from '../domain/risk.errors';
import { AuditQueueRepository } from '../infrastructure/audit-queue.repository';
import { PageQuery, ReviewDecisionDto } from './review-decision.dto';

type OperatorRequest = Request & { apiKey?: ApiKeyRecord };

/**
 * Pass-first approvals waiting for a later audit, oldest first, with what every rule said (`read`); an
 * operator confirms one (the approval stands) or reverses it (refund or revocation), once (`operate`).
 */
@Controller('v1/risk/audits')
export class AuditsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audits: AuditQueueRepository,
    private readonly close: CloseAuditHandler,
  ) {}

  @Get()
  @RequireScope('read')
  async list(@Query() query: PageQuery) {
    const items = await this.audits.listPending(this.dataSource.manager, query.limit, query.offset);
    return { limit: query.limit, offset: query.offset, items };
  }

  @Post(':orderId/confirm')
  @HttpCode(200)
  @RequireScope('operate')
  confirm(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: ReviewDecisionDto,
    @Req() request: OperatorRequest,
  ) {
    return this.run(orderId, 'confirm', body, request);
  }

  @Post(':orderId/reverse')
  @HttpCode(200)
  @RequireScope('operate')
  reverse(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: ReviewDecisionDto,
    @Req() request: OperatorRequest,
  ) {
    return this.run(orderId, 'reverse', body, request);
  }

  private async run(
    orderId: string,
    verdict: 'confirm' | 'reverse',
    body: ReviewDecisionDto,
    request: OperatorRequest,
  ) {
    try {
      return await this.close.handle(orderId, {
        verdict,
        reason: body.reason,
        by: request.apiKey?.name ?? 'unknown',
        now: new Date().toISOString(),
      });
    } catch (error) {
      if (error instanceof AuditNotFoundError)
        throw new NotFoundException({ code: error.code, message: error.message });
      if (error instanceof AuditAlreadyClosedError)
        throw new ConflictException({ code: error.code, message: error.message, closed: error.closed });
      throw error;
    }
  }
}
