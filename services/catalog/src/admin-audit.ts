import type { AuditOutbox } from '@quickcart/audit';
import type { Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';

/** Who asked for an admin change: the admin's Telegram id (the gateway's `x-actor` header) or `system`. */
export type Actor = string;

/**
 * Runs an admin change and writes its audit entry in the same transaction (docs/features.md §7): the change
 * never commits without its entry. `work` answers what the entry records.
 */
export async function auditedChange<T>(
  sequelize: Sequelize,
  outbox: AuditOutbox,
  a: { actor: Actor; action: string; target: { type: string; id: string } },
  work: (t: Transaction) => Promise<{ result: T; before?: unknown; after?: unknown }>,
): Promise<T> {
  return sequelize
    .transaction(async (t) => {
      const { result, before, after } = await work(t);
      await outbox.add({ ...a, before, after }, t);
      return result;
    })
    .finally(() => outbox.flushSoon());
}

/** Only what changed: the fields of `before` and `after` whose values differ. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}
