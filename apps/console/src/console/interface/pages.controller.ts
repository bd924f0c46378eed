import path from 'node:path';

import { Controller, Get, Inject, Res } from '@nestjs/common';
import { type Response } from 'express';

import { CONSOLE_CONFIG, type ConsoleConfig } from '../../console.config';

/** Every page of the single-page front-end answers with the same shell; the script draws the page. */
@Controller()
export class PagesController {
  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  @Get(['/', 'login', 'orders', 'orders/:id', 'risk', 'stock', 'suppliers', 'order/:id'])
  page(@Res() response: Response): void {
    response.setHeader('cache-control', 'no-store');
    response.sendFile(path.join(this.config.appRoot, 'public', 'index.html'));
  }

  /** Public settings the front-end needs: where traces are, who the shop is. No secrets here. */
  @Get('api/config')
  settings() {
    return {
      traceUrlTemplate: this.config.traceUrlTemplate ?? null,
      shopName: this.config.shopName,
      shopContact: this.config.shopContact,
    };
  }

  @Get(['health/live', 'health/ready'])
  health() {
    return { status: 'ok' };
  }
}
