import { IsEmail, IsIn, IsInt, Matches, Max, MaxLength, Min } from 'class-validator';

import { SKU_PATTERN } from '@keyflow/contracts';

export const PAYMENT_CHANNELS = ['alipay', 'wechat', 'stripe'] as const;

/** POST /v1/orders body. Unknown fields are refused (400), so a typo is not silently ignored. */
export class PlaceOrderDto {
  @Matches(SKU_PATTERN, { message: 'sku must be a product code such as STEAM-50' })
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;

  @IsEmail({}, { message: 'email must be an email address the goods can be sent to' })
  @MaxLength(254)
  email!: string;

  @IsIn(PAYMENT_CHANNELS)
  paymentChannel!: (typeof PAYMENT_CHANNELS)[number];
}
