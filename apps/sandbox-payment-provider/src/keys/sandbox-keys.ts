import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ensureSandboxKeys, SANDBOX_KEY_FILES } from './generate-sandbox-keys';

/** The private halves the sandbox signs with, loaded from its keys folder (generated on first start). */
export interface SandboxKeys {
  alipayPrivateKey: KeyObject;
  wechatPlatformPrivateKey: KeyObject;
  wechatApiV3Key: Buffer;
  stripeWebhookSecret: Buffer;
  /** The merchant's keys as the provider has them on file: requests are checked against these. */
  alipayAppPublicKey: KeyObject;
  wechatMerchantPublicKey: KeyObject;
  stripeSecretKey: string;
}

export function loadSandboxKeys(dir: string): SandboxKeys {
  ensureSandboxKeys(dir);
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return {
    alipayPrivateKey: createPrivateKey(read(SANDBOX_KEY_FILES.alipayPrivateKey)),
    wechatPlatformPrivateKey: createPrivateKey(read(SANDBOX_KEY_FILES.wechatPlatformPrivateKey)),
    wechatApiV3Key: Buffer.from(read(SANDBOX_KEY_FILES.wechatApiV3Key).trim(), 'utf8'),
    stripeWebhookSecret: Buffer.from(read(SANDBOX_KEY_FILES.stripeWebhookSecret).trim(), 'utf8'),
    alipayAppPublicKey: createPublicKey(read(SANDBOX_KEY_FILES.alipayAppPublicKey)),
    wechatMerchantPublicKey: createPublicKey(read(SANDBOX_KEY_FILES.wechatMerchantPublicKey)),
    stripeSecretKey: read(SANDBOX_KEY_FILES.stripeSecretKey).trim(),
  };
}
