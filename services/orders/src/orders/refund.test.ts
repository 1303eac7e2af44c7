import { estimateRefund } from './refund';

const paidAt = new Date('2026-11-01T10:00:00Z');
const after = (days: number, hours = 0) => new Date(paidAt.getTime() + days * 86_400_000 + hours * 3_600_000);

describe('estimateRefund', () => {
  it('gives 0.8 of the unused share in the first week', () => {
    // 50.000 × (30 − 3) / 30 × 0.8 = 36.000
    expect(estimateRefund({ purchasePrice: 50_000, paidAt, now: after(3, 5), claims: 0 })).toMatchObject({
      daysUsed: 3,
      multiplier: 0.8,
      refund: 36_000,
    });
  });

  it('gives 0.7 from day 7, and rounds down', () => {
    // 10.001 × 20 / 30 × 0.7 = 4.667,13 → 4.667
    expect(estimateRefund({ purchasePrice: 10_001, paidAt, now: after(10), claims: 0 })).toMatchObject({
      multiplier: 0.7,
      refund: 4_667,
    });
  });

  it('lowers the multiplier with warranty claims', () => {
    const at = { purchasePrice: 30_000, paidAt, now: after(0) };
    expect(estimateRefund({ ...at, claims: 2 }).multiplier).toBe(0.6);
    expect(estimateRefund({ ...at, claims: 3 }).multiplier).toBe(0.5);
    expect(estimateRefund({ ...at, claims: 4 }).multiplier).toBe(0.4);
  });

  it('refunds nothing after 30 days', () => {
    expect(estimateRefund({ purchasePrice: 50_000, paidAt, now: after(30), claims: 0 }).refund).toBe(0);
    expect(estimateRefund({ purchasePrice: 50_000, paidAt, now: after(45), claims: 0 }).refund).toBe(0);
  });
});
