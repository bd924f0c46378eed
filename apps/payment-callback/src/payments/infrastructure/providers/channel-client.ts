import {
  type CreatedPayment,
  type CreatePaymentRequest,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../../application/payment-provider.port';

/** One provider's API for one channel; the router picks it by the request's provider. */
export interface ChannelClient {
  create(request: CreatePaymentRequest): Promise<CreatedPayment>;
  query(outTradeNo: string): Promise<ProviderPaymentStatus>;
  refund(request: RefundRequest): Promise<{ providerRefundId: string }>;
}
