import { type KeyObject } from 'node:crypto';

import { payLinkSigningKey } from '@keyflow/contracts';
import { orderTokenSecretFromEnv, valueOrFile } from '@keyflow/service-kit';

export const ORDERS_SETTINGS = Symbol('ORDERS_SETTINGS');

export interface OrdersSettings {
  /** How long stock is held and the unpaid order stays open. */
  reservationMinutes: number;
  /** Base URL buyers reach orders at (status links). */
  ordersPublicUrl: string;
  /** Base URL of payment-callback's pay redirect (`/v1/pay/<orderId>`). */
  paymentPublicUrl: string;
  /** How often unpaid orders past their expiry are looked for. */
  expiryScanSeconds: number;
  tokenSecret: string;
  /** Ed25519 private key signing the pay link checkout hands out (payment-callback holds the public half). */
  payLinkSigningKey: KeyObject;
  /** Where buyers' status pages are served (the console), for the link checkout hands out; optional. */
  statusPageUrl?: string;
}

export function ordersSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OrdersSettings {
  const tokenSecret = orderTokenSecretFromEnv(env);
  const minutes = Number(env.ORDER_RESERVATION_MINUTES ?? 15);
  const scan = Number(env.ORDER_EXPIRY_SCAN_SECONDS ?? 5);
  if (!(minutes > 0))
    throw new Error(
      `ORDER_RESERVATION_MINUTES must be a positive number, got ${env.ORDER_RESERVATION_MINUTES}`,
    );
  if (!(scan > 0))
    throw new Error(
      `ORDER_EXPIRY_SCAN_SECONDS must be a positive number, got ${env.ORDER_EXPIRY_SCAN_SECONDS}`,
    );
  return {
    reservationMinutes: minutes,
    ordersPublicUrl: (env.ORDERS_PUBLIC_URL ?? 'http://127.0.0.1:3001').replace(/\/$/, ''),
    paymentPublicUrl: (env.PAYMENT_PUBLIC_URL ?? 'http://127.0.0.1:3002').replace(/\/$/, ''),
    expiryScanSeconds: scan,
    tokenSecret,
    payLinkSigningKey: payLinkSigningKeyFromEnv(env),
    ...(env.ORDER_STATUS_PAGE_URL ? { statusPageUrl: env.ORDER_STATUS_PAGE_URL.replace(/\/$/, '') } : {}),
  };
}

/**
 * PAY_LINK_SIGNING_KEY(_FILE), required everywhere: there is no default key, development and tests make
 * their own (scripts/dev-secrets.js, the test stacks).
 */
function payLinkSigningKeyFromEnv(env: NodeJS.ProcessEnv): KeyObject {
  const pem = valueOrFile(env, 'PAY_LINK_SIGNING_KEY');
  if (!pem?.trim()) {
    throw new Error(
      'PAY_LINK_SIGNING_KEY (or _FILE) is required: the Ed25519 private key (PKCS#8 PEM) pay links are signed with',
    );
  }
  return payLinkSigningKey(pem);
}
