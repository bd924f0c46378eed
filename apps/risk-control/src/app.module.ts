import { Module } from '@nestjs/common';

import { Topics } from '@keyflow/contracts';
import { ServiceModule } from '@keyflow/service-kit';

import { riskControlConfig } from './risk-control.config';

/** risk-control: risk rules, assessments of paid orders and the manual review queue. */
@Module({
  imports: [ServiceModule.forRoot({ config: riskControlConfig(), publishes: [Topics.risk] })],
})
export class AppModule {}
