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

import { DecideReviewHandler } from '../application/decide-review/decide-review.handler';
import { ReviewAlreadyDecidedError, ReviewNotFoundError } from '../domain/risk.errors';
import { AssessmentRepository } from '../infrastructure/assessment.repository';
import { PageQuery, ReviewDecisionDto } from './review-decision.dto';

type OperatorRequest = Request & { apiKey?: ApiKeyRecord };

/** The manual review queue: list with `read`, decide with `operate`. */
@Controller('v1/risk/reviews')
export class ReviewsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly assessments: AssessmentRepository,
    private readonly decide: DecideReviewHandler,
  ) {}

  /** Pending reviews, the longest-waiting first. */
  @Get()
  @RequireScope('read')
  async list(@Query() query: PageQuery) {
    const items = await this.assessments.listPending(this.dataSource.manager, query.limit, query.offset);
    return { limit: query.limit, offset: query.offset, items };
  }

  @Post(':orderId/approve')
  @HttpCode(200)
  @RequireScope('operate')
  approve(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: ReviewDecisionDto,
    @Req() request: OperatorRequest,
  ) {
    return this.run(orderId, 'Approve', body, request);
  }

  @Post(':orderId/reject')
  @HttpCode(200)
  @RequireScope('operate')
  reject(
    @Param('orderId', new ParseUUIDPipe()) orderId: string,
    @Body() body: ReviewDecisionDto,
    @Req() request: OperatorRequest,
  ) {
    return this.run(orderId, 'Reject', body, request);
  }

  private async run(
    orderId: string,
    type: 'Approve' | 'Reject',
    body: ReviewDecisionDto,
    request: OperatorRequest,
  ) {
    // The key's name says who decided (the guard put the verified key on the request).
    const by = request.apiKey?.name ?? 'unknown';
    try {
      return await this.decide.handle(orderId, {
        type,
        reason: body.reason,
        by,
        now: new Date().toISOString(),
      });
    } catch (error) {
      if (error instanceof ReviewNotFoundError)
        throw new NotFoundException({ code: error.code, message: error.message });
      if (error instanceof ReviewAlreadyDecidedError)
        throw new ConflictException({ code: error.code, message: error.message });
      throw error;
    }
  }
}
