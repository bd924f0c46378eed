import { type OperatorKind } from '../channels';
import { formatClock, formatDuration, lateness } from '../lateness';

/** What operators are told, independent of the IM they read it in. */
export interface OperatorNotice {
  severity: 'info' | 'warning' | 'critical';
  headline: string;
  lines: string[];
  /** When the condition happened; a notice going out later says by how much. */
  eventTime: string;
}

const ICON = { info: 'ℹ️', warning: '⚠️', critical: '🚨' } as const;

export function operatorText(
  notice: OperatorNotice,
  ctx: { timeZone: string; lateAfterSeconds: number; sendTime: string },
) {
  const { late, delaySeconds } = lateness(notice.eventTime, ctx.sendTime, ctx.lateAfterSeconds);
  const when = `at ${formatClock(notice.eventTime, ctx.timeZone, ctx.sendTime)} (${ctx.timeZone})`;
  const timing = late
    ? `Happened ${when}; this notice is ${formatDuration(delaySeconds)} late.`
    : `Happened ${when}.`;
  const text = [`${ICON[notice.severity]} ${notice.headline}`, ...notice.lines, timing].join('\n');
  return { text, late };
}

/** The JSON each bot endpoint accepts: Slack incoming webhook, DingTalk robot, Telegram sendMessage. */
export function imMessage(kind: OperatorKind, text: string, chatId?: string): Record<string, unknown> {
  switch (kind) {
    case 'slack':
      return { text };
    case 'dingtalk':
      return { msgtype: 'text', text: { content: text } };
    case 'telegram':
      return { chat_id: chatId, text, disable_web_page_preview: true };
  }
}
