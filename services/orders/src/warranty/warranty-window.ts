import type { RefundFormula } from '../orders/refund';

const DAY = 86_400_000;

/**
 * A product's warranty in days (docs/features.md §2.9.1): its own, set with /setwarranty, or else the
 * refund formula's base_days, the days after which the calculator refunds nothing anyway.
 */
export function warrantyDays(ownDays: number | null | undefined, formula: Pick<RefundFormula, 'base_days'>) {
  return ownDays ?? formula.base_days;
}

/**
 * Whether a paid purchase can still be claimed: from its payment until `days` whole days later (that
 * instant itself excluded). A warranty of 0 days is none.
 */
export function withinWarranty(paidAt: Date, days: number, now: Date): boolean {
  return days > 0 && now.getTime() < paidAt.getTime() + days * DAY;
}
