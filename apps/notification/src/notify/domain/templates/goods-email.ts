import { formatClock, formatDuration, lateness } from '../lateness';
import {
  escapeHtml,
  formatMoney,
  paragraphsToHtml,
  type RenderContext,
  type RenderedEmail,
} from './render-context';

export interface GoodsFacts {
  orderId: string;
  sku: string;
  quantity: number;
  total: { amountMinor: number; currency: string };
  placedAt: string;
  /** The event this email reports: lateness is measured from here. */
  deliveredAt: string;
  itemCount: number;
}

/**
 * The buyer's goods: order id, product, the keys and how to redeem them. When it goes out late it opens
 * with the times and the delay in plain words, so a late email never pretends to be instant.
 */
export function goodsEmail(facts: GoodsFacts, keys: readonly string[], ctx: RenderContext): RenderedEmail {
  const { late, delaySeconds } = lateness(facts.deliveredAt, ctx.sendTime, ctx.lateAfterSeconds);
  const at = (iso: string) => formatClock(iso, ctx.timeZone, ctx.sendTime);
  const opening = late
    ? `This order was placed at ${at(facts.placedAt)} and its keys were ready at ${at(facts.deliveredAt)} ` +
      `(${ctx.timeZone}); this email was delayed by ${formatDuration(delaySeconds)}. Sorry for the wait.`
    : `Thank you for your order. Your keys were ready at ${at(facts.deliveredAt)} (${ctx.timeZone}).`;
  const summary = [
    `Order: ${facts.orderId}`,
    `Product: ${facts.sku} × ${facts.quantity}`,
    `Paid: ${formatMoney(facts.total)}`,
  ].join('\n');
  const keyLines =
    keys.length > 0
      ? `Your ${keys.length === 1 ? 'key' : `${keys.length} keys`}:\n${keys.map((k, i) => `${i + 1}. ${k}`).join('\n')}`
      : `Your ${facts.itemCount} item(s) were delivered to your account by the supplier; no key needs to be entered.`;
  const redeem = `How to redeem: ${ctx.redeemInstructions}`;
  const closing = `Keep this email private: anyone with a key can redeem it. — ${ctx.shopName}`;

  const paragraphs = [opening, summary, keyLines, redeem, closing];
  const html = paragraphsToHtml([opening, summary]).concat(
    keys.length > 0
      ? `\n<ol>${keys.map((k) => `<li><code>${escapeHtml(k)}</code></li>`).join('')}</ol>\n`
      : `\n${paragraphsToHtml([keyLines])}\n`,
    paragraphsToHtml([redeem, closing]),
  );
  return {
    subject: `${late ? '[Delayed] ' : ''}Your order ${facts.orderId.slice(0, 8)}: ${facts.sku} × ${facts.quantity}`,
    text: `${paragraphs.join('\n\n')}\n`,
    html,
    late,
  };
}
