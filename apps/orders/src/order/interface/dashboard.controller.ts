import { Controller, Get, Inject, Query } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';

import { RequireScope } from '@keyflow/service-kit';

import { SLA_SETTINGS, type SlaSettings } from '../application/sla-watch/sla-settings';
import { delayMap, windowFigures } from '../domain/dashboard';
import { openAlerts, overviewCounts, stageDelays } from '../infrastructure/dashboard.queries';
import { stuckForSeconds } from './order-query.dto';

export class WindowQuery {
  /** How far back: seconds or with a unit (90s, 15m, 1h); at most a day. */
  @IsOptional()
  @Matches(/^\d{1,5}(s|m|h)?$/, { message: 'window must look like 3600, 15m or 1h' })
  window?: string;
}

const DAY = 86_400;

/** The operator console's figures, computed from the order views (a projection of the Order streams). */
@Controller('v1/dashboard')
export class DashboardController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SLA_SETTINGS) private readonly sla: SlaSettings,
  ) {}

  /** Orders per stage now, the paid-but-undelivered backlog, the window's delay rate and average, alerts. */
  @Get('overview')
  @RequireScope('read')
  async overview(@Query() query: WindowQuery) {
    const windowSeconds = Math.min(DAY, stuckForSeconds(query.window) ?? this.sla.healthWindowSeconds);
    const manager = this.dataSource.manager;
    const counts = await overviewCounts(manager, windowSeconds, this.sla.tier1Seconds, this.sla.tier2Seconds);
    return {
      at: new Date().toISOString(),
      byStatus: counts.byStatus,
      byStage: counts.byStage,
      paidUndelivered: counts.paidUndelivered,
      window: {
        ...windowFigures(
          windowSeconds,
          counts.window.paid,
          counts.window.late,
          counts.window.averageDeliverySeconds,
        ),
        lateAfterSeconds: this.sla.tier1Seconds,
      },
      alerts: await openAlerts(manager),
    };
  }

  /** Per stage p50/p95/p99 over the window (default the last hour), the slowest stage named. */
  @Get('delay-map')
  @RequireScope('read')
  async delays(@Query() query: WindowQuery) {
    const windowSeconds = Math.min(DAY, stuckForSeconds(query.window) ?? 3600);
    const rows = await stageDelays(this.dataSource.manager, windowSeconds);
    return { at: new Date().toISOString(), windowSeconds, ...delayMap(rows) };
  }
}
