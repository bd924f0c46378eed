/** The payment providers we take money through; the order's paymentChannel names one of them. */
export const PROVIDER_KINDS = ['alipay', 'wechat', 'stripe'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export function providerKindOf(channel: string): ProviderKind | undefined {
  return (PROVIDER_KINDS as readonly string[]).includes(channel) ? (channel as ProviderKind) : undefined;
}
