import { ReviewAlreadyDecidedError, ReviewNotFoundError } from './risk.errors';

export type ReviewStatus = 'pending' | 'approved' | 'rejected';

export interface ReviewState {
  orderId: string;
  status: ReviewStatus;
  since: string;
  overdueNotifiedAt?: string;
}

export type ReviewCommand =
  | { type: 'Approve'; reason: string; by: string; now: string }
  | { type: 'Reject'; reason: string; by: string; now: string };

/**
 * A person's decision on a review: allowed once, while it is pending. A second decision (a double click,
 * two operators) is refused with a typed error the API answers with 409; the first one stands.
 */
export function decideReview(
  orderId: string,
  review: ReviewState | undefined,
  command: ReviewCommand,
): { status: Exclude<ReviewStatus, 'pending'> } {
  if (!review) throw new ReviewNotFoundError(orderId);
  if (review.status !== 'pending') throw new ReviewAlreadyDecidedError(orderId, review.status);
  switch (command.type) {
    case 'Approve':
      return { status: 'approved' };
    case 'Reject':
      return { status: 'rejected' };
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** Whether the review has waited past its SLA and nobody was told yet (told once, never twice). */
export function isOverdue(review: ReviewState, slaSeconds: number, now: string): boolean {
  if (review.status !== 'pending' || review.overdueNotifiedAt) return false;
  return new Date(now).getTime() - new Date(review.since).getTime() >= slaSeconds * 1000;
}
