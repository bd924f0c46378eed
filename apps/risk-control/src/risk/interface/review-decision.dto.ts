import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

/** POST /v1/risk/reviews/:orderId/approve|reject — the reason is kept with the decision and published. */
export class ReviewDecisionDto {
  @IsString()
  @MinLength(3)
  @MaxLength(400)
  reason!: string;
}

/** ?limit=&offset= for the operator lists. */
export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
