import { Inject, Injectable } from '@nestjs/common';

import { SANDBOX_SUPPLIERS_CONFIG, type SandboxSuppliersConfig } from '../sandbox-suppliers.config';
import { SandboxSupplier } from './domain/sandbox-supplier';
import { SandboxSupplierError } from './domain/sandbox-supplier.errors';

/** The supplier instances this server plays, by id. */
@Injectable()
export class SupplierFleet {
  private readonly suppliers: Map<string, SandboxSupplier>;

  constructor(@Inject(SANDBOX_SUPPLIERS_CONFIG) config: SandboxSuppliersConfig) {
    this.suppliers = new Map(config.supplierIds.map((id) => [id, new SandboxSupplier(id, config.stock)]));
  }

  get(id: string): SandboxSupplier {
    const supplier = this.suppliers.get(id);
    if (!supplier) throw new SandboxSupplierError('SUPPLIER.NOT_FOUND', `no supplier ${id}`);
    return supplier;
  }

  all(): SandboxSupplier[] {
    return [...this.suppliers.values()];
  }
}
