import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';

import { Topics } from '@keyflow/contracts';
import { EventStore } from '@keyflow/messaging';
import { metricsRegistry } from '@keyflow/observability';

import { alertConditions, type AlertCondition, type ShopHealthSample } from '../../domain/shop-health';
import { deliveryWindow } from '../../infrastructure/dashboard.queries';
import { findOrderView } from '../../infrastructure/order-view.projection';
import { claimDueDeadline } from '../../infrastructure/sla-deadlines.repository';
import { ExecuteOrderCommand } from '../execute-order-command';
import { SLA_SETTINGS, type SlaSettings } from './sla-settings';

const lateOrders = new Gauge({
  name: 'keyflow_sla_late_orders',
  help: 'Paid orders still undelivered past each SLA tier threshold',
  labelNames: ['tier'] as const,
  registers: [metricsRegistry],
});

/**
 * The SLA watch, driven by durable state in Postgres (never in-memory timers), every SLA_SCAN_SECONDS:
 * - tier 1 deadlines → OrderDelayed (the buyer is told where the order waits and when to expect it);
 * - tier 3 deadlines → OrderEscalated for manual delivery, or OrderRefundRequested when configured;
 * - tier 2 and shop health (delay rate, average paid→delivered) → alert.raised.v1 once while true,
 *   alert.resolved.v1 when it clears.
 */
@Injectable()
export class SlaWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SlaWatch');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly execute: ExecuteOrderCommand,
    private readonly store: EventStore,
    @Inject(SLA_SETTINGS) private readonly settings: SlaSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.scan()
        .catch((error: Error) => this.logger.warn(`SLA scan failed: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.settings.scanSeconds * 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async scan(): Promise<void> {
    while (await this.fireOneDeadline()) {
      /* until none is due */
    }
    await this.monitorShopHealth();
  }

  private fireOneDeadline(): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const due = await claimDueDeadline(manager);
      if (!due) return false;
      const view = await findOrderView(manager, due.orderId);
      if (!view?.paidAt) return true;
      const now = new Date().toISOString();
      if (due.tier === 1) {
        await this.execute.execute(manager, due.orderId, {
          type: 'NoticeDelay',
          data: {
            tier: 1,
            stage: view.currentStage ?? 'delivery',
            waitingReason: view.waitingReason ?? 'in progress',
            waitingSince: view.waitingSince ?? view.paidAt,
            expectedBy: new Date(Date.parse(view.paidAt) + this.settings.tier3Seconds * 1000).toISOString(),
            now,
          },
        });
      } else {
        const minutes = Math.round(this.settings.tier3Seconds / 60);
        await this.execute.execute(manager, due.orderId, {
          type: 'EscalateLateOrder',
          data: {
            action: this.settings.tier3Action,
            reason: `paid ${minutes} min ago and still not delivered (${view.waitingReason ?? view.currentStage})`,
            now,
          },
        });
      }
      return true;
    });
  }

  /** One monitor at a time across instances (transaction-level advisory lock); others skip the pass. */
  private async monitorShopHealth(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtext('orders.sla-monitor')::bigint) AS locked`,
      );
      if (!locked) return;
      const sample = await this.sample(manager);
      const conditions = alertConditions(sample, this.settings);
      for (const condition of conditions) await this.reconcileAlert(manager, condition, sample);
    });
  }

  private async sample(manager: EntityManager): Promise<ShopHealthSample> {
    const {
      tier1Seconds: t1,
      tier2Seconds: t2,
      tier3Seconds: t3,
      healthWindowSeconds: window,
    } = this.settings;
    const [row] = await manager.query(
      `SELECT
         count(*) FILTER (WHERE paid_at <= now() - make_interval(secs => $1))::int AS late1,
         count(*) FILTER (WHERE paid_at <= now() - make_interval(secs => $2))::int AS late2,
         count(*) FILTER (WHERE paid_at <= now() - make_interval(secs => $3))::int AS late3
       FROM orders.order_view
      WHERE paid_at IS NOT NULL AND delivered_at IS NULL AND status IN ('paid','in-review','approved','fulfilling')`,
      [t1, t2, t3],
    );
    // The same window figures the console shows, from the same query: an alert never disagrees with it.
    const health = await deliveryWindow(manager, window, t1);
    lateOrders.set({ tier: '1' }, row.late1);
    lateOrders.set({ tier: '2' }, row.late2);
    lateOrders.set({ tier: '3' }, row.late3);
    return {
      lateTier2: row.late2,
      paidInWindow: health.paid,
      lateInWindow: health.late,
      ...(health.averageDeliverySeconds !== null
        ? { averageDeliverySeconds: health.averageDeliverySeconds }
        : {}),
    };
  }

  /** Raised once while the condition holds, resolved once when it clears: alert_state remembers which. */
  private async reconcileAlert(
    manager: EntityManager,
    condition: AlertCondition,
    sample: ShopHealthSample,
  ): Promise<void> {
    const [state]: Array<{ active: boolean }> = await manager.query(
      `SELECT active FROM orders.alert_state WHERE alert_key = $1 FOR UPDATE`,
      [condition.alertKey],
    );
    const wasActive = state?.active === true;
    if (condition.active === wasActive) return;
    const now = new Date().toISOString();
    await manager.query(
      `INSERT INTO orders.alert_state (alert_key, active, raised_at, resolved_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (alert_key) DO UPDATE SET active = excluded.active,
         raised_at = coalesce(excluded.raised_at, orders.alert_state.raised_at), resolved_at = excluded.resolved_at`,
      [condition.alertKey, condition.active, condition.active ? now : null, condition.active ? null : now],
    );
    const event = condition.active
      ? {
          type: 'alert.raised.v1',
          data: {
            alertKey: condition.alertKey,
            severity: condition.severity,
            summary: condition.summary,
            details: { ...sample },
            raisedAt: now,
          },
        }
      : {
          type: 'alert.resolved.v1',
          data: { alertKey: condition.alertKey, summary: condition.summary, resolvedAt: now },
        };
    await this.store.append(manager, `alert-${condition.alertKey}`, 'any', [
      { ...event, topic: Topics.alerts, subject: condition.alertKey },
    ]);
    this.logger.log(
      `${condition.active ? 'raised' : 'resolved'} ${condition.alertKey}: ${condition.summary}`,
    );
  }
}
