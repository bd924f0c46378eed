import { goodsEmail } from './goods-email';
import { type RenderContext } from './render-context';
import { statusEmail } from './status-email';
import { operatorText, imMessage } from './operator-notice';

const ctx = (sendTime: string): RenderContext => ({
  shopName: 'Test Shop',
  timeZone: 'Asia/Shanghai',
  lateAfterSeconds: 300,
  redeemInstructions: 'Steam → Activate a Product.',
  sendTime,
});
const facts = {
  orderId: '0b6f6c1e-4f5e-4c1a-9a55-7f1c2d3e4f50',
  sku: 'STEAM-100',
  quantity: 2,
  total: { amountMinor: 19800, currency: 'CNY' },
  placedAt: '2024-05-01T05:58:00Z', // 13:58 in Shanghai
  deliveredAt: '2024-05-01T06:02:00Z', // 14:02
  itemCount: 2,
};

describe('goods email', () => {
  it('gives order id, product, every key and how to redeem, and reads as on time when it is', () => {
    const email = goodsEmail(facts, ['AAAA-1111', 'BBBB-<2222>'], ctx('2024-05-01T06:03:00Z'));
    expect(email.late).toBe(false);
    expect(email.subject).toBe('Your order 0b6f6c1e: STEAM-100 × 2');
    expect(email.text).toContain(facts.orderId);
    expect(email.text).toContain('1. AAAA-1111\n2. BBBB-<2222>');
    expect(email.text).toContain('How to redeem: Steam → Activate a Product.');
    expect(email.text).toContain('Your keys were ready at 14:02 (Asia/Shanghai)');
    expect(email.text).not.toMatch(/delayed|sorry/i);
    expect(email.html).toContain('<code>BBBB-&lt;2222&gt;</code>'); // escaped, not markup
  });

  it('says plainly when it goes out late: the times, the delay and an apology', () => {
    const email = goodsEmail(facts, ['AAAA-1111'], ctx('2024-05-01T06:29:30Z'));
    expect(email.late).toBe(true);
    expect(email.subject).toMatch(/^\[Delayed\] /);
    expect(email.text).toContain(
      'This order was placed at 13:58 and its keys were ready at 14:02 (Asia/Shanghai); this email was delayed by 27 min. Sorry for the wait.',
    );
  });

  it('names the date when the delay crosses midnight, so a day-old notice never reads as today', () => {
    const email = goodsEmail(facts, ['K'], ctx('2024-05-02T09:05:00Z'));
    expect(email.text).toContain('placed at 2024-05-01 13:58');
    expect(email.text).toContain('delayed by 27 h 3 min');
  });

  it('is late only past the threshold', () => {
    expect(goodsEmail(facts, ['K'], ctx('2024-05-01T06:07:00Z')).late).toBe(false); // exactly 300 s
    expect(goodsEmail(facts, ['K'], ctx('2024-05-01T06:07:01Z')).late).toBe(true);
  });
});

describe('status email (SLA tier 1)', () => {
  const delay = {
    orderId: facts.orderId,
    sku: 'STEAM-100',
    quantity: 1,
    stage: 'delivery',
    paidAt: '2024-05-01T06:02:00Z',
    expectedBy: '2024-05-01T06:20:00Z',
    noticedAt: '2024-05-01T06:07:00Z',
  };

  it('says we are on it, since when it waits and when to expect it, without internal reasons', () => {
    const email = statusEmail(delay, ctx('2024-05-01T06:07:05Z'));
    expect(email.late).toBe(false);
    expect(email.text).toContain('was paid at 14:02 (Asia/Shanghai)');
    expect(email.text).toContain('We are on it');
    expect(email.text).toContain('Expected by 14:20.');
    expect(email.text).toContain('getting your keys from our supplier');
  });

  it('admits when the update itself is late', () => {
    const email = statusEmail(delay, ctx('2024-05-01T06:20:00Z'));
    expect(email.late).toBe(true);
    expect(email.text).toContain('This update itself was delayed by 13 min.');
  });
});

describe('operator notices', () => {
  const notice = {
    severity: 'critical' as const,
    headline: 'Order x needs a person',
    lines: ['Stage: delivery'],
    eventTime: '2024-05-01T06:02:00Z',
  };

  it('carries the event time and says how late it is', () => {
    const onTime = operatorText(notice, {
      timeZone: 'UTC',
      lateAfterSeconds: 300,
      sendTime: '2024-05-01T06:02:10Z',
    });
    expect(onTime).toEqual({
      late: false,
      text: '🚨 Order x needs a person\nStage: delivery\nHappened at 06:02 (UTC).',
    });
    const late = operatorText(notice, {
      timeZone: 'UTC',
      lateAfterSeconds: 300,
      sendTime: '2024-05-01T07:02:00Z',
    });
    expect(late.late).toBe(true);
    expect(late.text).toContain('this notice is 1 h late');
  });

  it('speaks each bot’s JSON', () => {
    expect(imMessage('slack', 'hi')).toEqual({ text: 'hi' });
    expect(imMessage('dingtalk', 'hi')).toEqual({ msgtype: 'text', text: { content: 'hi' } });
    expect(imMessage('telegram', 'hi', '-100')).toEqual({
      chat_id: '-100',
      text: 'hi',
      disable_web_page_preview: true,
    });
  });
});
