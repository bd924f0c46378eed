import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

export interface RotationChange {
  supplierId: string;
  inRotation: boolean;
  reason: string;
  changedBy: string;
  changedAt: string;
}

/** Operators' rotation switches, read by every worker before it buys (a row per supplier ever switched). */
@Injectable()
export class SupplierRotationRepository {
  async outOfRotation(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ supplier_id: string }> = await manager.query(
      `SELECT supplier_id FROM delivery.supplier_rotation WHERE NOT in_rotation`,
    );
    return rows.map((row) => row.supplier_id);
  }

  async list(manager: EntityManager): Promise<Map<string, RotationChange>> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT * FROM delivery.supplier_rotation`,
    );
    return new Map(
      rows.map((row) => [
        row.supplier_id as string,
        {
          supplierId: row.supplier_id as string,
          inRotation: row.in_rotation as boolean,
          reason: row.reason as string,
          changedBy: row.changed_by as string,
          changedAt: (row.changed_at as Date).toISOString(),
        },
      ]),
    );
  }

  async set(manager: EntityManager, change: Omit<RotationChange, 'changedAt'>): Promise<RotationChange> {
    const [row] = await manager.query(
      `INSERT INTO delivery.supplier_rotation (supplier_id, in_rotation, reason, changed_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (supplier_id) DO UPDATE SET in_rotation = excluded.in_rotation, reason = excluded.reason,
         changed_by = excluded.changed_by, changed_at = clock_timestamp()
       RETURNING changed_at`,
      [change.supplierId, change.inRotation, change.reason, change.changedBy],
    );
    return { ...change, changedAt: (row.changed_at as Date).toISOString() };
  }
}
