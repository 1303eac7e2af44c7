import type { WarrantyClaim, WarrantyResolveBody } from '@quickcart/orders/contract';
import type { PaymentDeps } from './payments';

/** A warranty claim's steps at orders (docs/features.md §2.9.1); each idempotent by the claim id. */
export function warrantyActivities({ orders }: Pick<PaymentDeps, 'orders'>) {
  return {
    /** The stored claim: the workflow's input carries only its id. */
    async warrantyClaim(a: { claimId: string }): Promise<WarrantyClaim> {
      return orders.warrantyClaim(a.claimId);
    },

    /** Records the outcome once; a refund is credited there, under the claim's ledger key. */
    async resolveWarrantyClaim(a: { claimId: string; body: WarrantyResolveBody }): Promise<WarrantyClaim> {
      return orders.resolveWarrantyClaim(a.claimId, a.body);
    },
  };
}
