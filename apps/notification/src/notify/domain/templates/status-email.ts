import { formatClock, formatDuration, lateness } from '../lateness';
import { paragraphsToHtml, type RenderContext, type RenderedEmail } from './render-context';

export interface DelayFacts {
  orderId: string;
  sku: string;
  quantity: number;
  stage: string;
  paidAt: string;
  expectedBy?: string;
  /** When the SLA watch noticed the delay: lateness of this update is measured from here. */
  noticedAt: string;
}

/** Buyer words for internal stages: the waiting reason itself may name suppliers and stays internal. */
const STAGE_WORDS: Record<string, string> = {
  payment: 'confirming your payment',
  risk: 'a routine security check',
  'stock-commit': 'reserving your items',
  delivery: 'getting your keys from our supplier',
  notification: 'sending your keys',
};

/** SLA tier 1: an honest "we are on it" with the paid time and, when known, when to expect the goods. */
export function statusEmail(facts: DelayFacts, ctx: RenderContext): RenderedEmail {
  const { late, delaySeconds } = lateness(facts.noticedAt, ctx.sendTime, ctx.lateAfterSeconds);
  const at = (iso: string) => formatClock(iso, ctx.timeZone, ctx.sendTime);
  const waited = lateness(facts.paidAt, ctx.sendTime, 0).delaySeconds;
  const paragraphs = [
    `Your order ${facts.orderId} (${facts.sku} × ${facts.quantity}) was paid at ${at(facts.paidAt)} ` +
      `(${ctx.timeZone}) and is taking longer than usual: ${formatDuration(waited)} so far. ` +
      `We are on it — the step in progress is ${STAGE_WORDS[facts.stage] ?? 'processing your order'}.`,
    facts.expectedBy
      ? `Expected by ${at(facts.expectedBy)}. You will get your keys by email as soon as they are ready.`
      : 'You will get your keys by email as soon as they are ready.',
    ...(late
      ? [`This update itself was delayed by ${formatDuration(delaySeconds)}. Sorry for the wait.`]
      : []),
    `Sorry for the wait. — ${ctx.shopName}`,
  ];
  return {
    subject: `Your order ${facts.orderId.slice(0, 8)} is delayed — we are on it`,
    text: `${paragraphs.join('\n\n')}\n`,
    html: paragraphsToHtml(paragraphs),
    late,
  };
}
