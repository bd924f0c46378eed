import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ensureSandboxKeys, SANDBOX_KEY_FILES } from './generate-sandbox-keys';

describe('sandbox keys', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sandbox-keys-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');

  it('adds the keys a folder from an older version lacks, keeping those payment-callback already holds', () => {
    ensureSandboxKeys(dir);
    const before = Object.fromEntries(Object.values(SANDBOX_KEY_FILES).map((name) => [name, read(name)]));
    // An install made before the merchant keys existed.
    unlinkSync(path.join(dir, SANDBOX_KEY_FILES.alipayAppPrivateKey));
    unlinkSync(path.join(dir, SANDBOX_KEY_FILES.stripeSecretKey));

    ensureSandboxKeys(dir);

    expect(read(SANDBOX_KEY_FILES.alipayPublicKey)).toBe(before[SANDBOX_KEY_FILES.alipayPublicKey]);
    expect(read(SANDBOX_KEY_FILES.stripeWebhookSecret)).toBe(before[SANDBOX_KEY_FILES.stripeWebhookSecret]);
    expect(read(SANDBOX_KEY_FILES.alipayAppPublicKey)).not.toBe(before[SANDBOX_KEY_FILES.alipayAppPublicKey]);
    expect(read(SANDBOX_KEY_FILES.stripeSecretKey)).toMatch(/^sk_test_[A-Za-z0-9]{40}$/);
  });
});
