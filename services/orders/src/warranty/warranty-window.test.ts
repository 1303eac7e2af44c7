import { DEFAULT_REFUND_FORMULA } from '../orders/refund';
import { warrantyDays, withinWarranty } from './warranty-window';

const paidAt = new Date('2026-11-01T10:00:00Z');
const after = (days: number, ms = 0) => new Date(paidAt.getTime() + days * 86_400_000 + ms);

describe('the warranty window', () => {
  it("follows the refund formula's base_days until /setwarranty gives the product its own days", () => {
    expect(warrantyDays(null, DEFAULT_REFUND_FORMULA)).toBe(30);
    expect(warrantyDays(undefined, { base_days: 14 })).toBe(14);
    expect(warrantyDays(7, { base_days: 14 })).toBe(7);
    expect(warrantyDays(0, { base_days: 14 })).toBe(0);
  });

  it('is open from the payment until the last millisecond of its days, and closed from then on', () => {
    expect(withinWarranty(paidAt, 7, paidAt)).toBe(true);
    expect(withinWarranty(paidAt, 7, after(6, 86_399_999))).toBe(true);
    expect(withinWarranty(paidAt, 7, after(7))).toBe(false);
    expect(withinWarranty(paidAt, 7, after(40))).toBe(false);
  });

  it('gives no warranty at all for 0 days', () => {
    expect(withinWarranty(paidAt, 0, paidAt)).toBe(false);
  });
});
