import {
  type CreatedPayment,
  type CreatePaymentRequest,
  PaymentProviderPort,
  ProviderCallError,
  type ProviderPaymentStatus,
  type RefundRequest,
} from '../../application/payment-provider.port';
import { type PaymentsConfig } from '../../config/payments.config';
import { type ProviderKind } from '../../domain/provider-kind';
import { SandboxProviderClient } from '../sandbox-provider.client';
import { AlipayProviderClient } from './alipay-provider.client';
import { type ChannelClient } from './channel-client';
import { StripeProviderClient } from './stripe-provider.client';
import { WechatProviderClient } from './wechat-provider.client';

/**
 * The payment-provider port over one client per channel, chosen by configuration: a channel whose API
 * credentials are set (STRIPE_SECRET_KEY, ALIPAY_APP_PRIVATE_KEY, WECHAT_MCH_PRIVATE_KEY) speaks the real
 * provider's API through its client; one without them speaks the sandbox provider's own JSON API
 * (PAYMENT_PROVIDER_URL), which production refuses at start (see payments.config.ts).
 */
export class ProviderRouter extends PaymentProviderPort {
  constructor(private readonly clients: ReadonlyMap<ProviderKind, ChannelClient>) {
    super();
  }

  static fromConfig(config: PaymentsConfig): ProviderRouter {
    const clients = new Map<ProviderKind, ChannelClient>();
    const sandbox = config.providerUrl ? new SandboxProviderClient(config) : undefined;
    const viaSandbox = (provider: ProviderKind): ChannelClient => {
      if (!sandbox) throw new Error(`${provider} has no API credentials and PAYMENT_PROVIDER_URL is unset`);
      return {
        create: (request) => sandbox.create(request),
        query: (outTradeNo) => sandbox.query(provider, outTradeNo),
        refund: (request) => sandbox.refund(request),
      };
    };
    if (config.stripe) {
      clients.set(
        'stripe',
        config.stripe.api
          ? new StripeProviderClient(config.stripe.api, config.providerTimeoutMs)
          : viaSandbox('stripe'),
      );
    }
    const alipay = config.alipay;
    if (alipay) {
      clients.set(
        'alipay',
        alipay.api
          ? new AlipayProviderClient({ ...alipay, api: alipay.api }, config.providerTimeoutMs)
          : viaSandbox('alipay'),
      );
    }
    const wechat = config.wechat;
    if (wechat) {
      clients.set(
        'wechat',
        wechat.api
          ? new WechatProviderClient(wechat.api, wechat.platformPublicKey, config.providerTimeoutMs)
          : viaSandbox('wechat'),
      );
    }
    return new ProviderRouter(clients);
  }

  create(request: CreatePaymentRequest): Promise<CreatedPayment> {
    return this.client(request.provider).create(request);
  }

  query(provider: ProviderKind, outTradeNo: string): Promise<ProviderPaymentStatus> {
    return this.client(provider).query(outTradeNo);
  }

  refund(request: RefundRequest): Promise<{ providerRefundId: string }> {
    return this.client(request.provider).refund(request);
  }

  private client(provider: ProviderKind): ChannelClient {
    const client = this.clients.get(provider);
    if (!client) throw new ProviderCallError('PROVIDER.REFUSED', `${provider} is not configured`);
    return client;
  }
}
