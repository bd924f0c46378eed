import { IsString, Length } from 'class-validator';

/** POST /v1/orders/:id/refund — the reason is kept on the event, so the buyer and the books can see why. */
export class RefundOrderDto {
  @IsString()
  @Length(3, 500)
  reason!: string;
}
