import { priceRoleOf } from './contract';
import { applyDiscount, normaliseDiscount, priceFor, type PricedProduct } from './pricing';

const product = (over: Partial<PricedProduct> = {}): PricedProduct => ({
  customerPrice: 50_000,
  resellerPrice: null,
  discount: null,
  categoryDiscount: null,
  ...over,
});

describe('priceFor', () => {
  it('charges a customer the customer price', () => {
    expect(priceFor(product({ resellerPrice: 45_000 }), 'customer')).toEqual({
      price: 50_000,
      originalPrice: 50_000,
    });
  });

  it('charges a reseller the reseller price when one is set', () => {
    expect(priceFor(product({ resellerPrice: 45_000 }), 'reseller')).toEqual({
      price: 45_000,
      originalPrice: 45_000,
    });
  });

  it('charges a reseller the customer price when no reseller price is set', () => {
    expect(priceFor(product(), 'reseller').price).toBe(50_000);
  });

  it('applies a percent product discount to the role price, rounding the discount down', () => {
    const p = product({
      customerPrice: 33_333,
      resellerPrice: 30_001,
      discount: { type: 'percent', value: 10 },
    });
    expect(priceFor(p, 'customer')).toEqual({ price: 30_000, originalPrice: 33_333 }); // 3.333,3 off → 3.333
    expect(priceFor(p, 'reseller')).toEqual({ price: 27_001, originalPrice: 30_001 }); // 3.000,1 off → 3.000
  });

  it('applies a nominal product discount', () => {
    expect(priceFor(product({ discount: { type: 'nominal', value: 5_000 } }), 'customer').price).toBe(45_000);
  });

  it('uses the category discount when the product has none', () => {
    expect(priceFor(product({ categoryDiscount: { type: 'percent', value: 15 } }), 'customer').price).toBe(
      42_500,
    );
  });

  it('prefers the product discount over the category discount', () => {
    const p = product({
      discount: { type: 'nominal', value: 1_000 },
      categoryDiscount: { type: 'percent', value: 50 },
    });
    expect(priceFor(p, 'customer').price).toBe(49_000);
  });

  it('never goes below zero', () => {
    expect(priceFor(product({ discount: { type: 'nominal', value: 80_000 } }), 'customer').price).toBe(0);
    expect(applyDiscount(10_000, { type: 'percent', value: 100 })).toBe(0);
  });
});

describe('normaliseDiscount', () => {
  it('treats a zero discount as no discount (/disc 101|0 clears it)', () => {
    expect(normaliseDiscount({ type: 'percent', value: 0 })).toBeNull();
    expect(normaliseDiscount({ type: 'nominal', value: 0 })).toBeNull();
    expect(normaliseDiscount({ type: 'nominal', value: 5 })).toEqual({ type: 'nominal', value: 5 });
  });
});

describe('priceRoleOf', () => {
  it('gives resellers their prices and everyone else, admins too, the customer prices', () => {
    expect(['reseller', 'customer', 'admin'].map((role) => priceRoleOf({ role }))).toEqual([
      'reseller',
      'customer',
      'customer',
    ]);
  });
});
