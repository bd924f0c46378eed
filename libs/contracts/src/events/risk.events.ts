import { IsIn, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

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
