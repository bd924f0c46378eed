import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { DataSource } from 'typeorm';

import {
  admissionBacklog,
  admissionCompletedPerSecond,
  admissionMaxBacklog,
  checkoutsShed,
  refreshAdmissionOnScrape,
} from '@keyflow/observability';

import {
  type AdmissionDecision,
  type BacklogReading,
  decideAdmission,
  effectiveBound,
} from '../../domain/admission';
import { CapacityMemory } from '../../domain/capacity-memory';
import { bestCompletionRate, checkoutAccepted, readBacklog } from '../../infrastructure/backlog.queries';
import { ADMISSION_SETTINGS, type AdmissionSettings } from './admission-settings';

/**
 * Decides whether a new checkout may enter the pipeline. The backlog is read from the shared read model
 * (so every replica sees the same number) at most once per cache period, by whichever checkout finds the
 * reading stale; concurrent checkouts share that one query. No timer: an idle shop reads nothing.
 */
@Injectable()
export class CheckoutAdmission implements OnModuleInit {
  private readonly logger = new Logger(CheckoutAdmission.name);
  private reading?: { value: BacklogReading; at: number };
  private refreshing?: Promise<BacklogReading>;
  private readonly capacity: CapacityMemory;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ADMISSION_SETTINGS) private readonly settings: AdmissionSettings,
  ) {
    this.capacity = new CapacityMemory(settings.capacityMemorySeconds * 1000);
  }

  onModuleInit(): void {
    const { maxBacklog } = this.settings.policy;
    if (maxBacklog !== undefined) admissionMaxBacklog.set(maxBacklog);
    refreshAdmissionOnScrape(async () => void (await this.backlog()));
  }

  /** Admit, or shed with a Retry-After. A retried Idempotency-Key of an accepted checkout is always admitted. */
  async admit(idempotencyKey?: string): Promise<AdmissionDecision> {
    if (this.settings.policy.maxBacklog === undefined) return { admit: true };
    const decision = decideAdmission(this.settings.policy, await this.backlog());
    if (decision.admit) return decision;
    if (idempotencyKey && (await checkoutAccepted(this.dataSource.manager, idempotencyKey)))
      return { admit: true };
    checkoutsShed.inc();
    return decision;
  }

  /** The cached reading, refreshed when older than the cache period. */
  async backlog(): Promise<BacklogReading> {
    if (this.reading && Date.now() - this.reading.at < this.settings.cacheMs) return this.reading.value;
    // Outside the checkout's trace: one reading serves every checkout of the period, it belongs to no order
    // (in the order's trace its Postgres span would be the one span without the order's id).
    this.refreshing ??= context
      .with(ROOT_CONTEXT, () => this.refresh())
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refresh(): Promise<BacklogReading> {
    try {
      const { manager } = this.dataSource;
      const { rateWindowSeconds, capacityMemorySeconds } = this.settings;
      const recent = await readBacklog(manager, rateWindowSeconds);
      const now = Date.now();
      // Nothing remembered (a restart, a long quiet spell): what the read model says of the last busy time.
      if (this.capacity.best(now) === undefined && capacityMemorySeconds > 0)
        this.capacity.remember(
          await bestCompletionRate(manager, capacityMemorySeconds, rateWindowSeconds),
          now,
        );
      this.capacity.remember(recent.completedPerSecond, now);
      const value: BacklogReading = { ...recent, capacityPerSecond: this.capacity.best(now) };
      this.reading = { value, at: now };
      admissionBacklog.set(value.backlog);
      const bound = effectiveBound(this.settings.policy, value);
      if (bound !== undefined) admissionMaxBacklog.set(bound);
      admissionCompletedPerSecond.set(value.completedPerSecond);
      return value;
    } catch (error) {
      // Fail open: if Postgres cannot answer this, the checkout's own transaction will say so clearly.
      this.logger.warn(`backlog not read, admitting: ${(error as Error).message}`);
      return this.reading?.value ?? { backlog: 0, completedPerSecond: 0 };
    }
  }
}
