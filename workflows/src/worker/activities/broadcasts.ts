import type { BroadcastCounts } from '@quickcart/workflow-api';
import type { OrdersClient } from '@quickcart/orders/client';

export interface BroadcastDeps {
  orders: OrdersClient;
}

/**
 * What the `broadcast` workflow asks of orders: who it goes to, page by page, and its totals at the end.
 * The sends themselves are message activities (`sendMessage`, on the rate-capped Telegram queue).
 */
export function broadcastActivities({ orders }: BroadcastDeps) {
  return {
    /** How many users a broadcast starting now would reach (its `remaining` counts down from it). */
    broadcastAudience: () =>
      orders.broadcastRecipients({ afterUserId: 0, limit: 1 }).then(({ total }) => ({ total })),

    /** The next page of a broadcast's recipients, by user id: a resumed page starts where it stopped. */
    broadcastRecipients: (a: { afterUserId: number; limit: number }) =>
      orders.broadcastRecipients(a).then(({ userIds }) => ({ userIds })),

    async finishBroadcast(a: BroadcastCounts & { broadcastId: string; total: number; state: string }) {
      await orders.finishBroadcast(a.broadcastId, {
        sent: a.sent,
        failed: a.failed,
        blocked: a.blocked,
        total: a.total,
        cancelled: a.state === 'cancelled',
      });
    },
  };
}
