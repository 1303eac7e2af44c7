import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import registered from './search-attributes.json';

/**
 * The one list of QuickCart's search attributes is search-attributes.json (name → type as the temporal
 * CLI spells it): infra/temporal/temporal.sh and docker-compose's `temporal-setup` register it, and the
 * keys below are read from it. JSON carries no literal types, so each key says once which TypeScript
 * value it takes; a key whose name or type is not the file's fails at load (and in the tests).
 */
export type SearchAttributeName = keyof typeof registered;

const TYPES = { Keyword: SearchAttributeType.KEYWORD, Int: SearchAttributeType.INT } as const;

function key<T extends keyof typeof TYPES>(name: SearchAttributeName, type: T) {
  const listed: string = registered[name];
  if (listed !== type) throw new Error(`search-attributes.json lists ${name} as ${listed}, not ${type}`);
  return defineSearchAttributeKey(name, TYPES[type]);
}

/**
 * What an operator filters on in the Temporal Web UI, e.g. `InvoiceId = 'INV261125AB12CD'` or
 * `CustomerId = '123' AND OrderStatus = 'awaiting_payment'`.
 */
export const SA = {
  InvoiceId: key('InvoiceId', 'Keyword'),
  CustomerId: key('CustomerId', 'Keyword'),
  OrderStatus: key('OrderStatus', 'Keyword'),
  PaymentMethod: key('PaymentMethod', 'Keyword'),
  AmountIdr: key('AmountIdr', 'Int'),
} as const satisfies Record<SearchAttributeName, unknown>;

/** Every registered attribute with its CLI type, in the file's order. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<{ name: SearchAttributeName; type: string }> = Object.entries(
  registered,
).map(([name, type]) => ({ name: name as SearchAttributeName, type }));
