import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What an operator filters on in the Temporal Web UI, e.g. `InvoiceId = 'INV261125AB12CD'` or
 * `CustomerId = '123' AND OrderStatus = 'awaiting_payment'`. infra/temporal/temporal.sh registers the
 * same list on the dev server; keep the two in step.
 */
export const SA = {
  InvoiceId: defineSearchAttributeKey('InvoiceId', SearchAttributeType.KEYWORD),
  CustomerId: defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD),
  OrderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  PaymentMethod: defineSearchAttributeKey('PaymentMethod', SearchAttributeType.KEYWORD),
  AmountIdr: defineSearchAttributeKey('AmountIdr', SearchAttributeType.INT),
} as const;
