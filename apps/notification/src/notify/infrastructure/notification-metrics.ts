import { Counter } from 'prom-client';

import { metricsRegistry } from '@keyflow/observability';

/**
 * Every send attempt to the outside world (an SMTP hand-over, a webhook POST), by channel, purpose and
 * outcome: `sent`, or `failed` (the worker retries or falls back to the next channel; each try counts).
 */
export const notificationSends = new Counter({
  name: 'keyflow_notification_sends_total',
  help: 'Notification send attempts by channel (email, webhook, operator IM), purpose and outcome (sent, failed)',
  labelNames: ['channel', 'purpose', 'outcome'] as const,
  registers: [metricsRegistry],
});
