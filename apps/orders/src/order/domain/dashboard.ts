import { STAGES, type StageName } from './order-view';

/** One stage's spread of durations over the window, as the delay map draws it. */
export interface StageDelay {
  stage: StageName;
  /** Stages measured: finished within the window, plus those still open (measured up to now). */
  count: number;
  open: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface StageDelayRow {
  stage: string;
  count: number;
  open: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * Every stage in pipeline order, measured or not, so the chart keeps its shape and an idle stage shows as
 * empty rather than disappearing. The slowest stage by p95 is named, so the console can point at it.
 */
export function delayMap(rows: StageDelayRow[]): { stages: StageDelay[]; slowest?: StageName } {
  const byStage = new Map(rows.map((row) => [row.stage, row]));
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  const stages = STAGES.map((stage) => {
    const row = byStage.get(stage);
    return {
      stage,
      count: row?.count ?? 0,
      open: row?.open ?? 0,
      p50Ms: round(row?.p50 ?? null),
      p95Ms: round(row?.p95 ?? null),
      p99Ms: round(row?.p99 ?? null),
    };
  });
  const measured = stages.filter((s) => s.p95Ms !== null);
  const slowest = measured.sort((a, b) => b.p95Ms! - a.p95Ms!)[0]?.stage;
  return { stages: STAGES.map((stage) => stages.find((s) => s.stage === stage)!), slowest };
}

/** The window's health figures, as the SLA watch judges them (tier 1 = late). */
export interface WindowFigures {
  windowSeconds: number;
  paid: number;
  late: number;
  delayRate: number;
  averageDeliverySeconds: number | null;
}

export function windowFigures(
  windowSeconds: number,
  paid: number,
  late: number,
  averageDeliverySeconds: number | null,
): WindowFigures {
  return {
    windowSeconds,
    paid,
    late,
    delayRate: paid === 0 ? 0 : late / paid,
    averageDeliverySeconds:
      averageDeliverySeconds === null ? null : Math.round(averageDeliverySeconds * 10) / 10,
  };
}
