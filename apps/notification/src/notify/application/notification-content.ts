import { type SealedCardKey } from '@keyflow/contracts';

import { type OperatorNotice } from '../domain/templates/operator-notice';

/**
 * What a notification job stores for its templates (the `content` column). Card keys appear only as the
 * sealed boxes delivery sent, and only in the buyer's goods job: they are opened in memory at send time.
 */
export type NotificationContent =
  | {
      kind: 'goods';
      deliveryId: string;
      servedBy: string;
      itemCount: number;
      deliveredAt: string;
      keys?: SealedCardKey[];
    }
  | {
      kind: 'status';
      tier: number;
      stage: string;
      paidAt: string;
      waitingSince: string;
      expectedBy?: string;
    }
  | { kind: 'operator'; notice: OperatorNotice };
