import { pipelineCatalog } from '@keyflow/contracts';

import { decodeMessage } from './message-decoder';

const orderId = '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10';
const envelope = {
  specversion: '1.0',
  id: '7d1f3c0a-9a3e-4d0e-b7a4-55c3b8a3e111',
  type: 'order.placed.v1',
  source: 'orders',
  subject: orderId,
  time: '2026-11-23T10:00:00.000Z',
  datacontenttype: 'application/json',
  correlationid: 'corr-1',
  data: {
    orderId,
    sku: 'STEAM-50',
    quantity: 2,
    total: { amountMinor: 10000, currency: 'CNY' },
    buyer: { email: 'buyer@example.com' },
    paymentChannel: 'alipay',
    placedAt: '2026-11-23T10:00:00.000Z',
    expiresAt: '2026-11-23T10:15:00.000Z',
  },
};
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const handlesOrderPlaced = (type: string) => type === 'order.placed.v1';

describe('decodeMessage', () => {
  it('given a valid envelope of a handled type, returns it with a validated payload', () => {
    const decoded = decodeMessage(encode(envelope), pipelineCatalog, handlesOrderPlaced);
    expect(decoded).toMatchObject({ kind: 'ok', envelope: { id: envelope.id, data: { quantity: 2 } } });
  });

  it('given an empty value (a tombstone), dead-letters it', () => {
    expect(decodeMessage(null, pipelineCatalog, handlesOrderPlaced)).toEqual({
      kind: 'invalid',
      reason: 'empty message value',
    });
  });

  it('given bytes that are not JSON, says so', () => {
    const decoded = decodeMessage(Buffer.from('{oops'), pipelineCatalog, handlesOrderPlaced);
    expect(decoded).toMatchObject({ kind: 'invalid', reason: expect.stringMatching(/^value is not JSON/) });
  });

  it('given an envelope missing its id, names the field', () => {
    const { id: _id, ...withoutId } = envelope;
    const decoded = decodeMessage(encode(withoutId), pipelineCatalog, handlesOrderPlaced);
    expect(decoded).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/^invalid envelope: id: /),
    });
  });

  it('given a type this consumer does not handle, skips it without validating the payload', () => {
    const other = { ...envelope, type: 'order.completed.v1', data: { anything: true } };
    expect(decodeMessage(encode(other), pipelineCatalog, handlesOrderPlaced)).toEqual({
      kind: 'unhandled',
      type: 'order.completed.v1',
    });
  });

  it('given a handled type with a bad payload, lists every violation', () => {
    const bad = { ...envelope, data: { ...envelope.data, quantity: 0, buyer: { email: 'not-an-email' } } };
    const decoded = decodeMessage(encode(bad), pipelineCatalog, handlesOrderPlaced);
    expect(decoded.kind).toBe('invalid');
    if (decoded.kind === 'invalid') {
      expect(decoded.reason).toMatch(/^invalid order\.placed\.v1 payload: /);
      expect(decoded.reason).toMatch(/quantity: /);
      expect(decoded.reason).toMatch(/buyer\.email: /);
    }
  });
});
