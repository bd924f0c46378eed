import { once } from 'node:events';

import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';

import { type SandboxSupplier } from './domain/sandbox-supplier';
import { SandboxSupplierError } from './domain/sandbox-supplier.errors';
import { SupplierFleet } from './supplier-fleet';
import { FaultsDto, PurchaseDto } from './suppliers.dto';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,200}$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A supplier's API, several instances side by side under /suppliers/:supplierId, and their fault
 * switches. Faults act before processing (outage, error rate, hang: nothing is sold) except latency,
 * which sells first and answers late: the "timed out, but it went through" case.
 */
@Controller('suppliers')
export class SuppliersController {
  constructor(private readonly fleet: SupplierFleet) {}

  @Post(':supplierId/purchases')
  async purchase(
    @Param('supplierId') supplierId: string,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Body() body: PurchaseDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const supplier = this.fleet.get(supplierId);
    if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new SandboxSupplierError('SUPPLIER.INVALID', 'an Idempotency-Key header is required');
    await this.beforeProcessing(supplier, request, true);
    const { order, replayed } = supplier.purchase({ idempotencyKey, sku: body.sku, quantity: body.quantity });
    if (supplier.faults.latencyMs > 0) await sleep(supplier.faults.latencyMs);
    response.status(replayed ? 200 : 201);
    return order;
  }

  @Get(':supplierId/purchases/:idempotencyKey')
  async find(
    @Param('supplierId') supplierId: string,
    @Param('idempotencyKey') idempotencyKey: string,
    @Req() request: Request,
  ) {
    const supplier = this.fleet.get(supplierId);
    await this.beforeProcessing(supplier, request, false);
    const order = supplier.find(idempotencyKey);
    if (!order) throw new SandboxSupplierError('SUPPLIER.NOT_FOUND', 'no purchase with this idempotency key');
    return order;
  }

  @Get(':supplierId/stats')
  stats(@Param('supplierId') supplierId: string) {
    return this.fleet.get(supplierId).stats();
  }

  @Post(':supplierId/faults')
  @HttpCode(200)
  faults(@Param('supplierId') supplierId: string, @Body() body: FaultsDto) {
    return this.fleet.get(supplierId).setFaults(body);
  }

  private async beforeProcessing(supplier: SandboxSupplier, request: Request, isPurchase: boolean) {
    const { hang, outage, errorRate } = supplier.faults;
    if (hang) {
      // Never answer; give up only when the caller hangs up.
      await once(request, 'close');
      throw new SandboxSupplierError('SUPPLIER.OUTAGE', 'the caller went away');
    }
    if (outage || (isPurchase && Math.random() < errorRate))
      throw new SandboxSupplierError('SUPPLIER.OUTAGE', `supplier ${supplier.id} is unavailable`);
  }
}
