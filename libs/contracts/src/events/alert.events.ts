import { IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { defineEvent } from '../event-catalog';
import { Topics } from '../topics';

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

/**
 * Operator alerts. `alertKey` names the condition (e.g. `sla.tier2`, `shop.delay-rate`); while it stays true
 * the alert is raised once, and a resolved event follows when it clears. Subject = alertKey.
 */
export class AlertRaisedV1 {
  @Matches(/^[a-z0-9][a-z0-9.:_-]{0,119}$/)
  alertKey!: string;

  @IsIn(ALERT_SEVERITIES)
  severity!: (typeof ALERT_SEVERITIES)[number];

  @IsString()
  @MaxLength(300)
  summary!: string;

  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;

  @IsISO8601({ strict: true })
  raisedAt!: string;
}

export class AlertResolvedV1 {
  @Matches(/^[a-z0-9][a-z0-9.:_-]{0,119}$/)
  alertKey!: string;

  @IsString()
  @MaxLength(300)
  summary!: string;

  @IsISO8601({ strict: true })
  resolvedAt!: string;
}

export const AlertRaised = defineEvent({
  type: 'alert.raised.v1',
  topic: Topics.alerts,
  payload: AlertRaisedV1,
  description: 'A condition operators must act on became true (raised once while it stays true).',
  subject: 'alert key',
});
export const AlertResolved = defineEvent({
  type: 'alert.resolved.v1',
  topic: Topics.alerts,
  payload: AlertResolvedV1,
  description: 'A raised condition cleared.',
  subject: 'alert key',
});
