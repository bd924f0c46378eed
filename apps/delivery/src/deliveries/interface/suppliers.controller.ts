import { Body, Controller, Get, NotFoundException, Param, Put, Req } from '@nestjs/common';
import { IsBoolean, IsString, Length } from 'class-validator';
import { type Request } from 'express';
import { DataSource } from 'typeorm';

import { type ApiKeyRecord, RequireScope } from '@keyflow/service-kit';

import { SupplierRegistry } from '../infrastructure/suppliers/supplier-registry';
import { SupplierRotationRepository } from '../infrastructure/supplier-rotation.repository';

type OperatorRequest = Request & { apiKey?: ApiKeyRecord };

/** PUT /v1/suppliers/:id/rotation — the reason is kept, so the next shift knows why a supplier is out. */
export class RotationDto {
  @IsBoolean()
  inRotation!: boolean;

  @IsString()
  @Length(3, 300)
  reason!: string;
}

/** Operators: each supplier's circuit state and whether it is in rotation; taking one out (or back in). */
@Controller('v1/suppliers')
export class SuppliersController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly suppliers: SupplierRegistry,
    private readonly rotation: SupplierRotationRepository,
  ) {}

  @Get()
  @RequireScope('read')
  async list() {
    const switches = await this.rotation.list(this.dataSource.manager);
    return this.suppliers.states().map(({ supplier, state }) => {
      const change = switches.get(supplier);
      return {
        supplier,
        state,
        inRotation: change?.inRotation ?? true,
        rotationChange: change ?? null,
      };
    });
  }

  @Put(':id/rotation')
  @RequireScope('operate')
  setRotation(@Param('id') id: string, @Body() body: RotationDto, @Req() request: OperatorRequest) {
    if (!this.suppliers.entries.has(id)) throw new NotFoundException(`supplier ${id} is not configured`);
    return this.rotation.set(this.dataSource.manager, {
      supplierId: id,
      inRotation: body.inRotation,
      reason: body.reason,
      changedBy: request.apiKey?.name ?? 'unknown',
    });
  }
}
