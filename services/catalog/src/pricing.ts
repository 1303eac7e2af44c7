import type { Discount, Role } from './contract';

export interface PricedProduct {
  customerPrice: number;
  resellerPrice: number | null;
  discount: Discount | null;
  categoryDiscount: Discount | null;
}

/**
 * docs/features.md §4: the reseller price if the user is a reseller and one is set, else the customer
 * price; then the product discount if set, else the category discount; never below 0.
 */
export function priceFor(product: PricedProduct, role: Role): { price: number; originalPrice: number } {
  const originalPrice =
    role === 'reseller' && product.resellerPrice !== null ? product.resellerPrice : product.customerPrice;
  const discount = product.discount ?? product.categoryDiscount;
  return { price: applyDiscount(originalPrice, discount), originalPrice };
}

export function applyDiscount(price: number, discount: Discount | null): number {
  if (!discount) return price;
  // A percent discount rounds the discount down (the shop never gives away a fraction of a rupiah).
  const off = discount.type === 'percent' ? Math.floor((price * discount.value) / 100) : discount.value;
  return Math.max(0, price - off);
}

/** A stored discount of 0 means none: `/disc 101|0` clears it. */
export function normaliseDiscount(discount: Discount): Discount | null {
  return discount.value === 0 ? null : discount;
}
