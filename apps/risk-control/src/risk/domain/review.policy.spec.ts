import { decideReview, isOverdue, type ReviewState } from './review.policy';
import { ReviewAlreadyDecidedError, ReviewNotFoundError } from './risk.errors';
import { decidedInMs } from './decision-latency';

const orderId = '0b9d8f4e-4d2a-4c57-9a52-1f6f0f3f8a10';
const pending: ReviewState = { orderId, status: 'pending', since: '2026-11-23T10:00:00.000Z' };
const approve = {
  type: 'Approve',
  reason: 'known buyer',
  by: 'ops',
  now: '2026-11-23T10:05:00.000Z',
} as const;
const reject = { ...approve, type: 'Reject' } as const;

describe('review policy', () => {
  it.each([
    ['approve a pending review', pending, approve, { status: 'approved' }],
    ['reject a pending review', pending, reject, { status: 'rejected' }],
  ] as const)('%s', (_what, state, command, expected) => {
    expect(decideReview(orderId, state, command)).toEqual(expected);
  });

  it.each([
    ['no review', undefined, approve, ReviewNotFoundError],
    ['approve after approve', { ...pending, status: 'approved' }, approve, ReviewAlreadyDecidedError],
    ['reject after approve', { ...pending, status: 'approved' }, reject, ReviewAlreadyDecidedError],
    ['approve after reject', { ...pending, status: 'rejected' }, approve, ReviewAlreadyDecidedError],
  ] as const)('refuses: %s', (_what, state, command, error) => {
    expect(() => decideReview(orderId, state as ReviewState | undefined, command)).toThrow(error);
  });

  it.each([
    ['before the SLA', pending, '2026-11-23T10:09:59.999Z', false],
    ['at the SLA', pending, '2026-11-23T10:10:00.000Z', true],
    [
      'already told',
      { ...pending, overdueNotifiedAt: '2026-11-23T10:10:01.000Z' },
      '2026-11-23T11:00:00.000Z',
      false,
    ],
    ['decided', { ...pending, status: 'approved' }, '2026-11-23T11:00:00.000Z', false],
  ] as const)('overdue %s (SLA 600 s): %s', (_what, state, now, expected) => {
    expect(isOverdue(state as ReviewState, 600, now)).toBe(expected);
  });

  it('measures decision latency from the payment confirmation, never negative', () => {
    expect(decidedInMs('2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00.250Z')).toBe(250);
    expect(decidedInMs('2026-11-23T10:00:01.000Z', '2026-11-23T10:00:00.000Z')).toBe(0);
  });
});
