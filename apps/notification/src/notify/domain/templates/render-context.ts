/** What every template needs besides its facts: the shop's words and clock, and when the notice goes out. */
export interface RenderContext {
  shopName: string;
  timeZone: string;
  lateAfterSeconds: number;
  /** Shown under the keys; the shop knows how its goods are redeemed. */
  redeemInstructions: string;
  /** When this notification goes out (lateness is measured against it). */
  sendTime: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  late: boolean;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function formatMoney(total: { amountMinor: number; currency: string }): string {
  return `${(total.amountMinor / 100).toFixed(2)} ${total.currency}`;
}

/** Plain text paragraphs → minimal HTML, escaped (the facts come from other services and buyers). */
export function paragraphsToHtml(paragraphs: string[]): string {
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
}
