import type { AuditOutbox } from '@quickcart/audit';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, NotFound } from '@quickcart/kit';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ORDERS_REFUSAL, type LedgerEntry, type LedgerReason } from '../contract';
import { toLedgerEntry, type LedgerRow } from '../db/rows';

export interface Posting {
  userId: number;
  delta: number;
  reason: LedgerReason;
  reference?: string | null;
  idempotencyKey: string;
  actor: string;
}

/**
 * The balance is an append-only ledger (docs/features.md §5): every credit and debit is an entry with a
 * reason and an idempotency key. The user's row lock serialises concurrent postings for one user, so a
 * debit is checked against the balance it will actually change, and the cached users.balance always
 * equals the sum of the entries.
 */
export class Ledger {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
  ) {}

  /** Posts once per idempotency key; a repeat answers with the first entry. */
  async post(p: Posting): Promise<LedgerEntry> {
    const entry = await this.postOnce(p, () => p.delta);
    if (!entry) throw new Error('a posting with a non-zero delta always writes an entry');
    return this.sameOrConflict(entry, p);
  }

  /**
   * Posts inside the caller's transaction, for a credit that must commit together with another change
   * (a late payment's refund and the order that records it). The caller's lock decides; a key already
   * posted answers with its entry.
   */
  async postWithin(p: Posting, t: Transaction): Promise<LedgerEntry> {
    const existing = await this.byKey(p.idempotencyKey, t);
    const entry = existing ?? (await this.write(p, () => p.delta, t));
    if (!entry) throw new Error('a posting with a non-zero delta always writes an entry');
    return this.sameOrConflict(entry, p);
  }

  /**
   * Sets a balance (/editbalance): the entry is the difference, computed under the user's row lock, so
   * a purchase landing at the same instant cannot make the result anything but the balance asked for.
   * Answers undefined when the balance already is that (nothing to post); a repeat of the same key
   * answers with the first entry.
   */
  async setBalance(
    s: Omit<Posting, 'delta' | 'reason'> & { balance: number },
  ): Promise<LedgerEntry | undefined> {
    const entry = await this.postOnce({ ...s, delta: 0, reason: 'edit' }, (current) => s.balance - current);
    if (entry && entry.userId !== s.userId) throw this.keyReused(s.idempotencyKey);
    return entry;
  }

  /** The one place an entry is written: `deltaFor` sees the locked balance; a zero delta writes nothing. */
  private async postOnce(
    p: Posting,
    deltaFor: (balance: number) => number,
  ): Promise<LedgerEntry | undefined> {
    const existing = await this.byKey(p.idempotencyKey);
    if (existing) return existing;
    try {
      return await this.sequelize
        .transaction((t) => this.write(p, deltaFor, t))
        .finally(() => this.outbox.flushSoon());
    } catch (error) {
      // The same key posted concurrently: the other call won; answer as it did.
      if (pgCode(error) === PG.uniqueViolation) {
        const winner = await this.byKey(p.idempotencyKey);
        if (winner) return winner;
      }
      throw error;
    }
  }

  /** The entry, the cached balance and the audit entry, under the user's row lock in `t`. */
  private async write(
    p: Posting,
    deltaFor: (balance: number) => number,
    t: Transaction,
  ): Promise<LedgerEntry | undefined> {
    const [user] = await this.sequelize.query<{ balance: number }>(
      'SELECT balance FROM orders.users WHERE id = :userId FOR UPDATE',
      { replacements: { userId: p.userId }, type: QueryTypes.SELECT, transaction: t },
    );
    if (!user) throw new NotFound(`user ${p.userId} not found`, ORDERS_REFUSAL.user);
    const delta = deltaFor(user.balance);
    if (delta === 0) return undefined;
    const balanceAfter = user.balance + delta;
    if (balanceAfter < 0) {
      throw new Conflict(
        `balance ${user.balance} is less than ${-delta}`,
        ORDERS_REFUSAL.insufficientBalance,
        {
          balance: user.balance,
          required: -delta,
        },
      );
    }
    const [row] = await this.sequelize.query<LedgerRow>(
      `INSERT INTO orders.ledger (user_id, delta, reason, reference, idempotency_key, balance_after)
       VALUES (:userId, :delta, :reason, :reference, :idempotencyKey, :balanceAfter) RETURNING *`,
      {
        replacements: { ...p, delta, reference: p.reference ?? null, balanceAfter },
        type: QueryTypes.SELECT,
        transaction: t,
      },
    );
    await this.sequelize.query(
      'UPDATE orders.users SET balance = :balanceAfter, updated_at = now() WHERE id = :userId',
      {
        replacements: { balanceAfter, userId: p.userId },
        transaction: t,
      },
    );
    await this.outbox.add(
      {
        actor: p.actor,
        action: `balance.${p.reason}`,
        target: { type: 'user', id: String(p.userId) },
        before: { balance: user.balance },
        after: { balance: balanceAfter, delta },
        reference: p.reference ?? undefined,
        idempotencyKey: `ledger:${p.idempotencyKey}`,
      },
      t,
    );
    return toLedgerEntry(row);
  }

  async entries(userId: number, limit = 50): Promise<LedgerEntry[]> {
    const rows = await this.sequelize.query<LedgerRow>(
      'SELECT * FROM orders.ledger WHERE user_id = :userId ORDER BY id DESC LIMIT :limit',
      { replacements: { userId, limit }, type: QueryTypes.SELECT },
    );
    return rows.map(toLedgerEntry);
  }

  async byKey(key: string, t?: Transaction): Promise<LedgerEntry | undefined> {
    const [row] = await this.sequelize.query<LedgerRow>(
      'SELECT * FROM orders.ledger WHERE idempotency_key = :key',
      {
        replacements: { key },
        type: QueryTypes.SELECT,
        transaction: t,
      },
    );
    return row && toLedgerEntry(row);
  }

  private sameOrConflict(entry: LedgerEntry, p: Posting): LedgerEntry {
    if (entry.userId !== p.userId || entry.delta !== p.delta) throw this.keyReused(p.idempotencyKey);
    return entry;
  }

  private keyReused(key: string) {
    return new Conflict(
      `idempotency key ${key} was used for another posting`,
      ORDERS_REFUSAL.idempotencyKeyReused,
    );
  }
}
