import { CallbackVerificationError } from './callback-verification.errors';
import {
  apiV3Key,
  providerKey,
  strangerKey,
  wechatRequest,
} from '../../../../test/support/signature-test-keys';
import { verifyWechatNotification } from './wechat-notification';

const now = new Date('2030-01-01T00:00:00.000Z');
const ts = now.getTime() / 1000;
const keys = { platformPublicKey: providerKey.publicKey, apiV3Key, platformSerial: 'SERIAL1' };
const transaction = {
  out_trade_no: '3f1c2a8e000040008000000000000001',
  transaction_id: '4200000001',
  trade_state: 'SUCCESS',
  success_time: '2030-01-01T08:00:00+08:00',
  amount: { total: 5000, currency: 'CNY' },
};

describe('verifyWechatNotification', () => {
  it('verifies, decrypts and reads a genuine notification', () => {
    const { headers, body } = wechatRequest(transaction, ts);
    expect(verifyWechatNotification(headers, body, keys, now)).toEqual({
      kind: 'paid',
      provider: 'wechat',
      orderRef: transaction.out_trade_no,
      providerTradeNo: '4200000001',
      amount: { amountMinor: 5000, currency: 'CNY' },
      paidAt: '2030-01-01T00:00:00.000Z',
    });
  });

  it.each<[string, () => { headers: Record<string, string>; body: string }, string]>([
    [
      'signed by someone else',
      () => wechatRequest(transaction, ts, strangerKey.privateKey),
      'CALLBACK.BAD_SIGNATURE',
    ],
    [
      'a body changed after signing',
      () => {
        const r = wechatRequest(transaction, ts);
        return { ...r, body: r.body.replace('"nonce"', '"nonce" ') };
      },
      'CALLBACK.BAD_SIGNATURE',
    ],
    [
      'another serial',
      () => {
        const r = wechatRequest(transaction, ts);
        return { ...r, headers: { ...r.headers, serial: 'OTHER' } };
      },
      'CALLBACK.BAD_SIGNATURE',
    ],
    ['a stale timestamp', () => wechatRequest(transaction, ts - 600), 'CALLBACK.STALE_TIMESTAMP'],
    ['a future timestamp', () => wechatRequest(transaction, ts + 600), 'CALLBACK.STALE_TIMESTAMP'],
    [
      'encrypted with another APIv3 key',
      () => wechatRequest(transaction, ts, providerKey.privateKey, Buffer.alloc(32, 7)),
      'CALLBACK.UNDECRYPTABLE',
    ],
    ['missing headers', () => ({ headers: {}, body: '{}' }), 'CALLBACK.MALFORMED'],
  ])('refuses %s', (_name, request, code) => {
    const { headers, body } = request();
    expect(() => verifyWechatNotification(headers, body, keys, now)).toThrow(
      expect.objectContaining({ code }) as unknown as Error,
    );
    expect(() => verifyWechatNotification(headers, body, keys, now)).toThrow(CallbackVerificationError);
  });
});
