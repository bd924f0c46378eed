import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

import { type Finding, type RiskDecision } from '../domain/assessment';
import { type ReviewState, type ReviewStatus } from '../domain/review.policy';

export interface NewAssessment {
  orderId: string;
  assessmentId: string;
  decision: RiskDecision;
  paymentConfirmedAt: string;
  assessedAt: string;
}

export interface ReviewRow extends ReviewState {
  assessmentId: string;
  score: number;
  rule: string;
  reason: string;
  paymentConfirmedAt: string;
}

export interface PendingReview {
  orderId: string;
  assessmentId: string;
  rule: string;
  score: number;
  reason: string;
  findings: Finding[];
  waitingSince: string;
  overdue: boolean;
  email: string | null;
  paymentChannel: string | null;
  amount: { amountMinor: number; currency: string } | null;
}

/** One assessment per order; manual reviews live on the same row (status, since, who decided, SLA flag). */
@Injectable()
export class AssessmentRepository {
  /** False when the order was assessed already (another PaymentConfirmed for it): the first one stands. */
  async insert(manager: EntityManager, a: NewAssessment): Promise<boolean> {
    const d = a.decision;
    const review = d.outcome === 'review';
    const rows: unknown[] = await manager.query(
      `INSERT INTO risk.assessments (order_id, assessment_id, outcome, mode, rule, score, reason, findings,
         payment_confirmed_at, assessed_at, review_status, review_since)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [
        a.orderId,
        a.assessmentId,
        d.outcome,
        d.outcome === 'approve' ? d.mode : null,
        d.rule,
        d.score,
        d.outcome === 'approve' ? null : d.reason,
        JSON.stringify(d.findings),
        a.paymentConfirmedAt,
        a.assessedAt,
        review ? 'pending' : null,
        review ? a.assessedAt : null,
      ],
    );
    return rows.length === 1;
  }

  /** The review row, locked until the deciding transaction ends (two operators at once: one waits). */
  async lockReview(manager: EntityManager, orderId: string): Promise<ReviewRow | undefined> {
    const [row]: RawReview[] = await manager.query(
      `SELECT ${REVIEW_COLUMNS} FROM risk.assessments WHERE order_id = $1 AND review_status IS NOT NULL FOR UPDATE`,
      [orderId],
    );
    return row ? toReview(row) : undefined;
  }

  async recordDecision(
    manager: EntityManager,
    orderId: string,
    decision: { status: Exclude<ReviewStatus, 'pending'>; by: string; reason: string; at: string },
  ): Promise<void> {
    await manager.query(
      `UPDATE risk.assessments SET review_status = $2, reviewed_by = $3, review_reason = $4, reviewed_at = $5
       WHERE order_id = $1`,
      [orderId, decision.status, decision.by, decision.reason, decision.at],
    );
  }

  /** Pending reviews past the SLA that nobody was told about yet; SKIP LOCKED shares them among instances. */
  async claimOverdue(manager: EntityManager, slaSeconds: number, limit: number): Promise<ReviewRow[]> {
    const rows: RawReview[] = await manager.query(
      `SELECT ${REVIEW_COLUMNS} FROM risk.assessments
        WHERE review_status = 'pending' AND overdue_notified_at IS NULL
          AND review_since <= clock_timestamp() - make_interval(secs => $1)
        ORDER BY review_since LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [slaSeconds, limit],
    );
    return rows.map(toReview);
  }

  /** How long until the next pending review passes its SLA; undefined when none waits. */
  async nextOverdueInMs(manager: EntityManager, slaSeconds: number): Promise<number | undefined> {
    const [row]: Array<{ ms: number | null }> = await manager.query(
      `SELECT (EXTRACT(EPOCH FROM min(review_since) + make_interval(secs => $1) - clock_timestamp()) * 1000)::float8
              AS ms
         FROM risk.assessments WHERE review_status = 'pending' AND overdue_notified_at IS NULL`,
      [slaSeconds],
    );
    return row?.ms ?? undefined;
  }

  async markOverdueNotified(manager: EntityManager, orderId: string, at: string): Promise<void> {
    await manager.query(`UPDATE risk.assessments SET overdue_notified_at = $2 WHERE order_id = $1`, [
      orderId,
      at,
    ]);
  }

  /** Pending reviews, the longest-waiting first, with the order facts a reviewer needs. */
  async listPending(manager: EntityManager, limit: number, offset: number): Promise<PendingReview[]> {
    const rows: Array<
      RawReview & {
        findings: Finding[];
        email: string | null;
        payment_channel: string | null;
        amount_minor: string | null;
        currency: string | null;
      }
    > = await manager.query(
      `SELECT a.order_id, a.assessment_id, a.rule, a.score, a.reason, a.review_status, a.review_since,
                a.overdue_notified_at, a.payment_confirmed_at, a.findings,
                f.email, f.payment_channel, f.amount_minor, f.currency
           FROM risk.assessments a LEFT JOIN risk.order_facts f ON f.order_id = a.order_id
          WHERE a.review_status = 'pending'
          ORDER BY a.review_since, a.order_id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map((row) => ({
      orderId: row.order_id,
      assessmentId: row.assessment_id,
      rule: row.rule,
      score: row.score,
      reason: row.reason ?? '',
      findings: row.findings,
      waitingSince: new Date(row.review_since).toISOString(),
      overdue: row.overdue_notified_at !== null,
      email: row.email,
      paymentChannel: row.payment_channel,
      amount:
        row.amount_minor === null ? null : { amountMinor: Number(row.amount_minor), currency: row.currency! },
    }));
  }
}

const REVIEW_COLUMNS =
  'order_id, assessment_id, rule, score, reason, review_status, review_since, overdue_notified_at, payment_confirmed_at';

interface RawReview {
  order_id: string;
  assessment_id: string;
  rule: string;
  score: number;
  reason: string | null;
  review_status: ReviewStatus;
  review_since: Date;
  overdue_notified_at: Date | null;
  payment_confirmed_at: Date;
}

function toReview(row: RawReview): ReviewRow {
  return {
    orderId: row.order_id,
    assessmentId: row.assessment_id,
    rule: row.rule,
    score: row.score,
    reason: row.reason ?? '',
    status: row.review_status,
    since: new Date(row.review_since).toISOString(),
    paymentConfirmedAt: new Date(row.payment_confirmed_at).toISOString(),
    ...(row.overdue_notified_at
      ? { overdueNotifiedAt: new Date(row.overdue_notified_at).toISOString() }
      : {}),
  };
}
