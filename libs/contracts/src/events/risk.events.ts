import {
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

import { defineEvent } from '../event-catalog';
import { Topics } from '../topics';

class RiskOutcome {
  @IsUUID()
  orderId!: string;

  @IsUUID()
  assessmentId!: string;

  @IsNumber()
  @Min(0)
  @Max(100)
  score!: number;

  /** The rule that decided, for explanations in the console and audits. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  rule?: string;

  /** From payment confirmation to this decision (manual ones include the wait in review), for timelines. */
  @IsOptional()
  @IsInt()
  @Min(0)
  decidedInMs?: number;
}

export class RiskApprovedV1 extends RiskOutcome {
  @IsIn(['rules', 'pass-first', 'manual'])
  mode!: 'rules' | 'pass-first' | 'manual';
}

export class RiskReviewRequiredV1 extends RiskOutcome {
  @IsString()
  @MaxLength(500)
  reason!: string;
}

export class RiskRejectedV1 extends RiskOutcome {
  @IsString()
  @MaxLength(500)
  reason!: string;
}

/** A manual review waited longer than its SLA; raised once per review so nobody forgets it. */
export class RiskReviewOverdueV1 {
  @IsUUID()
  orderId!: string;

  @IsUUID()
  assessmentId!: string;

  /** When the review started waiting. */
  @IsISO8601({ strict: true })
  since!: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  slaSeconds?: number;

  @IsString()
  @MaxLength(500)
  reason!: string;
}

export const RiskApproved = defineEvent({
  type: 'risk.approved.v1',
  topic: Topics.risk,
  payload: RiskApprovedV1,
  description: 'The paid order may be fulfilled.',
});
export const RiskReviewRequired = defineEvent({
  type: 'risk.review-required.v1',
  topic: Topics.risk,
  payload: RiskReviewRequiredV1,
  description: 'The paid order waits in the manual review queue.',
});
export const RiskRejected = defineEvent({
  type: 'risk.rejected.v1',
  topic: Topics.risk,
  payload: RiskRejectedV1,
  description: 'The paid order must not be fulfilled; it is refunded.',
});
export const RiskReviewOverdue = defineEvent({
  type: 'risk.review-overdue.v1',
  topic: Topics.risk,
  payload: RiskReviewOverdueV1,
  description: 'A paid order has waited in manual risk review longer than the review SLA.',
});

/**
 * An operator reversed a pass-first approval after auditing it: the order must not stand. orders refunds it
 * if the goods have not reached the buyer yet, or records the delivered keys as revoked.
 */
export class RiskAuditReversedV1 {
  @IsUUID()
  orderId!: string;

  @IsUUID()
  assessmentId!: string;

  @IsString()
  @MaxLength(500)
  reason!: string;

  /** The operator (API key name) who reversed it. */
  @IsString()
  @MaxLength(100)
  reversedBy!: string;
}

export const RiskAuditReversed = defineEvent({
  type: 'risk.audit-reversed.v1',
  topic: Topics.risk,
  payload: RiskAuditReversedV1,
  description:
    'An audit reversed a pass-first approval: the order is refunded, or its delivered keys revoked.',
});
