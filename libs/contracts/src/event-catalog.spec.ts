import { EventCatalog, validateAgainst } from './event-catalog';
import { EventEnvelopeDto } from './envelope';
import { pipelineCatalog } from './catalog';
import { OrderPlaced, OrderPlacedV1 } from './events/order.events';
import { Topics } from './topics';

const validOrderPlaced = {
  orderId: '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10',
  sku: 'STEAM-50',
  quantity: 1,
  total: { amountMinor: 5000, currency: 'CNY' },
  buyer: { email: 'buyer@example.com' },
  paymentChannel: 'alipay',
  placedAt: '2026-11-23T10:00:00.000Z',
  expiresAt: '2026-11-23T10:15:00.000Z',
};

describe('event catalog', () => {
  it('routes each event type to the topic of the service that emits it', () => {
    expect(pipelineCatalog.topicOf('order.placed.v1')).toBe(Topics.orders);
    expect(pipelineCatalog.topicOf('delivery.supplier-switched.v1')).toBe(Topics.delivery);
  });

  it('declares every wire name once, versioned', () => {
    const types = pipelineCatalog.definitions().map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(type).toMatch(/\.v\d+$/);
  });

  it('accepts a valid payload and returns an instance with nested types', () => {
    const result = pipelineCatalog.validate('order.placed.v1', validOrderPlaced);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value).toBeInstanceOf(OrderPlacedV1);
  });

  it('tolerates fields a newer producer added within the version', () => {
    const result = validateAgainst(OrderPlaced.payload, { ...validOrderPlaced, coupon: 'NEW-FIELD' });
    expect(result.ok).toBe(true);
  });

  it('explains every violation with its path, including nested ones', () => {
    const result = pipelineCatalog.validate('order.placed.v1', {
      ...validOrderPlaced,
      quantity: 0,
      total: { amountMinor: -1, currency: 'yuan' },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^quantity: /),
          expect.stringMatching(/^total\.amountMinor: /),
          expect.stringMatching(/^total\.currency: /),
        ]),
      );
    }
  });

  it('rejects unknown types and non-object payloads', () => {
    expect(pipelineCatalog.validate('order.exploded.v1', {}).ok).toBe(false);
    expect(validateAgainst(OrderPlacedV1, 'not an object').ok).toBe(false);
    expect(validateAgainst(OrderPlacedV1, [1, 2]).ok).toBe(false);
  });

  it('upcasts an old wire version into the current one before validating', () => {
    const catalog = new EventCatalog(
      [OrderPlaced],
      [
        {
          from: 'order.placed.v0',
          to: 'order.placed.v1',
          upcast: ({ amountMinor, currency, ...rest }) => ({ ...rest, total: { amountMinor, currency } }),
        },
      ],
    );
    const { total, ...v0 } = validOrderPlaced;
    const result = catalog.validate('order.placed.v0', { ...v0, ...total });
    expect(result).toMatchObject({ ok: true, type: 'order.placed.v1' });
  });

  it('refuses to declare one wire name twice', () => {
    expect(() => new EventCatalog([OrderPlaced, OrderPlaced])).toThrow(/declared twice/);
  });

  it('validates the CloudEvents envelope fields', () => {
    const envelope = {
      specversion: '1.0',
      id: '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10',
      type: 'OrderPlaced',
      source: 'orders',
      subject: 'x',
      time: 'yesterday',
      datacontenttype: 'application/json',
      correlationid: 'c',
      data: {},
    };
    const result = validateAgainst(EventEnvelopeDto, envelope);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.join('\n')).toMatch(/type must be a versioned wire name/);
      expect(result.errors.join('\n')).toMatch(/^time: /m);
    }
  });
});
