/**
 * The sandbox provider's signing material, generated locally (never committed): Alipay's and WeChat's
 * RSA key pairs, the WeChat APIv3 key and the Stripe webhook secret. The public halves (and the shared
 * secrets) are handed to payment-callback through its *_FILE variables. Also the merchant's side, as a
 * provider would have it on file: the merchant's Alipay app key pair and WeChat merchant API key pair (the
 * private halves go to payment-callback's real clients, which sign their requests with them; the sandbox
 * checks those signatures with the public halves) and a Stripe secret API key.
 *
 *   node -r @swc-node/register apps/sandbox-payment-provider/src/keys/generate-sandbox-keys.ts .local/sandbox-keys
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SANDBOX_KEY_FILES = {
  alipayPrivateKey: 'alipay-private.pem',
  alipayPublicKey: 'alipay-public.pem',
  wechatPlatformPrivateKey: 'wechat-platform-private.pem',
  wechatPlatformPublicKey: 'wechat-platform-public.pem',
  wechatApiV3Key: 'wechat-apiv3.key',
  stripeWebhookSecret: 'stripe-webhook-secret',
  alipayAppPrivateKey: 'alipay-app-private.pem',
  alipayAppPublicKey: 'alipay-app-public.pem',
  wechatMerchantPrivateKey: 'wechat-merchant-private.pem',
  wechatMerchantPublicKey: 'wechat-merchant-public.pem',
  stripeSecretKey: 'stripe-secret-key',
} as const;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Writes keys into `dir` (created if missing), files readable by the owner only: every key with `fresh`,
 * otherwise only those missing (a key pair when either half is), so a folder from an older version gains
 * the keys added since without changing the ones payment-callback already holds.
 */
export function generateSandboxKeys(dir: string, fresh = true): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const missing = (...names: string[]) => fresh || names.some((name) => !existsSync(path.join(dir, name)));
  const write = (name: string, content: string) =>
    writeFileSync(path.join(dir, name), content, { mode: 0o600 });
  for (const [privateName, publicName] of [
    [SANDBOX_KEY_FILES.alipayPrivateKey, SANDBOX_KEY_FILES.alipayPublicKey],
    [SANDBOX_KEY_FILES.wechatPlatformPrivateKey, SANDBOX_KEY_FILES.wechatPlatformPublicKey],
    [SANDBOX_KEY_FILES.alipayAppPrivateKey, SANDBOX_KEY_FILES.alipayAppPublicKey],
    [SANDBOX_KEY_FILES.wechatMerchantPrivateKey, SANDBOX_KEY_FILES.wechatMerchantPublicKey],
  ] as const) {
    if (!missing(privateName, publicName)) continue;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    write(privateName, privateKey);
    write(publicName, publicKey);
  }
  if (missing(SANDBOX_KEY_FILES.wechatApiV3Key)) write(SANDBOX_KEY_FILES.wechatApiV3Key, randomString(32));
  if (missing(SANDBOX_KEY_FILES.stripeWebhookSecret)) {
    write(SANDBOX_KEY_FILES.stripeWebhookSecret, `whsec_${randomBytes(24).toString('base64url')}`);
  }
  if (missing(SANDBOX_KEY_FILES.stripeSecretKey)) {
    write(SANDBOX_KEY_FILES.stripeSecretKey, `sk_test_${randomString(40)}`);
  }
}

/** Generates the keys the folder does not hold yet. */
export function ensureSandboxKeys(dir: string): void {
  generateSandboxKeys(dir, false);
}

function randomString(length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? '.local/sandbox-keys');
  generateSandboxKeys(dir);
  process.stdout.write(`sandbox keys written to ${dir}\n`);
}
