import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** POST /v1/abandoned-purchases/:orderId/:supplierId/reconcile — what the supplier said, and a note. */
export class ReconcilePurchaseDto {
  /** sold: the supplier did sell (a key to recover or a refund to claim); not-sold: nothing was bought. */
  @IsIn(['sold', 'not-sold'])
  outcome!: 'sold' | 'not-sold';

  @IsString()
  @Length(3, 500)
  note!: string;
}

/** ?state=open|reconciled&limit=&offset= */
export class AbandonedPurchasesQuery {
  @IsOptional()
  @IsIn(['open', 'reconciled'])
  state: 'open' | 'reconciled' = 'open';

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
