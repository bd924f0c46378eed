import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { RiskTables1733100000000 } from './risk/infrastructure/migrations/1733100000000-risk-tables';
import { AuditClosing1733200000000 } from './risk/infrastructure/migrations/1733200000000-audit-closing';
import { RiskModule } from './risk/risk.module';
import { riskControlConfig } from './risk-control.config';

/** risk-control: risk rules, assessments of paid orders and the manual review queue. */
@Module({
  imports: [
    ServiceModule.forRoot({
      config: riskControlConfig(),
      publishes: [Topics.risk],
      migrations: [RiskTables1733100000000, AuditClosing1733200000000],
    }),
    RiskModule,
  ],
})
export class AppModule {}
