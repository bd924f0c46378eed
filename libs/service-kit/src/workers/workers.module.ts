import { Global, Module } from '@nestjs/common';

import { WorkWakeups } from './work-wakeups';

/** One LISTEN connection per process that wakes every worker of the service on new work. */
@Global()
@Module({ providers: [WorkWakeups], exports: [WorkWakeups] })
export class WorkersModule {}
