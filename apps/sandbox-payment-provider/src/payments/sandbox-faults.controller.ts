import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';

import { FaultSwitches } from './application/fault-switches';
import { FaultsDto } from './sandbox-payments.dto';

/** Fault injection: POST the switches wanted (omitted ones reset), GET the current ones. */
@Controller('sandbox/faults')
export class SandboxFaultsController {
  constructor(private readonly faults: FaultSwitches) {}

  @Post()
  @HttpCode(200)
  set(@Body() body: FaultsDto) {
    return this.faults.set(
      Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)),
    );
  }

  @Get()
  get() {
    return this.faults.get();
  }
}
