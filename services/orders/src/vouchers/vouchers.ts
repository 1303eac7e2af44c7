import type { AuditOutbox } from '@quickcart/audit';
import { Conflict } from '@quickcart/kit';
import { randomInt } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ORDERS_REFUSAL, REQUEST_KEY_DAYS, VOUCHER_COOLDOWN_MINUTES } from '../contract';

/** docs/features.md §3.3 / §4: a voucher lasts 30 days (the cooldown after using one is in the contract). */
export const VOUCHER_DAYS = 30;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I: codes are typed by hand
const CODE_LENGTH = 8;

interface VoucherRow {
  code: string;
  amount: number;
  expires_at: Date;
  held_by: string | null;
  used_at: Date | null;
}

/**
 * Voucher codes (docs/features.md §3.3): created by /giveaway, checked when typed, held by a pending order,
 * taken when it is paid and given back when it expires or is cancelled. Two orders never share one:
 * holding takes the row lock and refuses a voucher another order holds or has used.
 */
export class Vouchers {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
  ) {}

  /**
   * /giveaway: `count` new codes worth `amount` each; audited with the codes. A request key already
   * used answers the batch it made (the key's advisory lock makes two identical requests take turns).
   */
  async create(a: {
    amount: number;
    count: number;
    actor: string;
    requestKey?: string;
  }): Promise<{ codes: string[]; expiresAt: string }> {
    return this.sequelize
      .transaction(async (t) => {
        if (a.requestKey) {
          await this.sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:key))', {
            replacements: { key: `giveaway:${a.requestKey}` },
            transaction: t,
          });
          const made = await this.sequelize.query<{ code: string; expires_at: Date }>(
            `SELECT code, expires_at FROM orders.vouchers
              WHERE request_key = :key AND created_at > now() - make_interval(days => :days)
              ORDER BY created_at, code`,
            {
              replacements: { key: a.requestKey, days: REQUEST_KEY_DAYS },
              type: QueryTypes.SELECT,
              transaction: t,
            },
          );
          if (made.length > 0)
            return { codes: made.map((v) => v.code), expiresAt: new Date(made[0].expires_at).toISOString() };
        }
        const codes: string[] = [];
        const [{ expires_at }] = await this.sequelize.query<{ expires_at: Date }>(
          `SELECT now() + make_interval(days => :days) AS expires_at`,
          { replacements: { days: VOUCHER_DAYS }, type: QueryTypes.SELECT, transaction: t },
        );
        while (codes.length < a.count) {
          const code = newCode();
          // A clash with an existing code (32^8 of them) just draws another.
          const inserted = await this.sequelize.query(
            `INSERT INTO orders.vouchers (code, amount, created_by, expires_at, request_key)
             VALUES (:code, :amount, :createdBy, :expiresAt, :requestKey)
             ON CONFLICT (code) DO NOTHING RETURNING code`,
            {
              replacements: {
                code,
                amount: a.amount,
                createdBy: a.actor,
                expiresAt: expires_at,
                requestKey: a.requestKey ?? null,
              },
              type: QueryTypes.SELECT,
              transaction: t,
            },
          );
          if (inserted.length > 0) codes.push(code);
        }
        await this.outbox.add(
          {
            actor: a.actor,
            action: 'voucher.create',
            target: { type: 'voucher', id: codes.length === 1 ? codes[0] : `${codes.length} codes` },
            after: { amount: a.amount, count: a.count, codes, expiresAt: expires_at },
          },
          t,
        );
        return { codes, expiresAt: new Date(expires_at).toISOString() };
      })
      .finally(() => this.outbox.flushSoon());
  }

  /** Whether `userId` may use `code` now; answers its amount, or refuses with the reason (§3.3). */
  async check(code: string, userId: number, t?: Transaction): Promise<{ code: string; amount: number }> {
    const [row] = await this.sequelize.query<VoucherRow>(
      `SELECT code, amount, expires_at, held_by, used_at FROM orders.vouchers WHERE code = :code${t ? ' FOR UPDATE' : ''}`,
      { replacements: { code: normalise(code) }, type: QueryTypes.SELECT, transaction: t },
    );
    if (!row || row.used_at || row.held_by)
      throw new Conflict('voucher not valid or used', ORDERS_REFUSAL.voucherInvalid);
    if (new Date(row.expires_at).getTime() <= Date.now())
      throw new Conflict('voucher expired', ORDERS_REFUSAL.voucherExpired);
    // A voucher an open order of this customer holds counts as used now: it is taken the moment that
    // order is paid (an order gives its voucher back when it closes unpaid). Checkouts of one customer
    // take turns on the user's row lock, so of two at once the second sees the first one's hold.
    const [recent] = await this.sequelize.query(
      `SELECT 1 FROM orders.vouchers WHERE used_by = :userId
          AND used_at > now() - make_interval(mins => :minutes)
       UNION ALL
       SELECT 1 FROM orders.vouchers v JOIN orders.orders o ON o.invoice_id = v.held_by
        WHERE o.user_id = :userId
       LIMIT 1`,
      {
        replacements: { userId, minutes: VOUCHER_COOLDOWN_MINUTES },
        type: QueryTypes.SELECT,
        transaction: t,
      },
    );
    if (recent) throw new Conflict('a voucher was used minutes ago', ORDERS_REFUSAL.voucherCooldown);
    return { code: row.code, amount: row.amount };
  }

  /** In the order's own transaction: the voucher is this order's until it is paid or closed. */
  async hold(code: string, userId: number, invoiceId: string, t: Transaction): Promise<number> {
    const { code: held, amount } = await this.check(code, userId, t);
    await this.sequelize.query('UPDATE orders.vouchers SET held_by = :invoiceId WHERE code = :code', {
      replacements: { invoiceId, code: held },
      transaction: t,
    });
    return amount;
  }

  /** In the order's status change: paid takes the voucher, expired / cancelled / failed gives it back. */
  async settle(invoiceId: string, userId: number, to: string, t: Transaction): Promise<void> {
    const rows = await this.sequelize.query<{ code: string }>(
      to === 'paid'
        ? `UPDATE orders.vouchers SET held_by = NULL, used_by = :userId, used_at = now(), used_invoice = :invoiceId
            WHERE held_by = :invoiceId RETURNING code`
        : 'UPDATE orders.vouchers SET held_by = NULL WHERE held_by = :invoiceId RETURNING code',
      { replacements: { invoiceId, userId }, type: QueryTypes.SELECT, transaction: t },
    );
    for (const { code } of rows) {
      await this.outbox.add(
        {
          actor: 'system',
          action: to === 'paid' ? 'voucher.use' : 'voucher.release',
          target: { type: 'voucher', id: code },
          before: { heldBy: invoiceId },
          after: to === 'paid' ? { usedBy: userId, invoice: invoiceId } : { heldBy: null },
          reference: invoiceId,
        },
        t,
      );
    }
  }
}

const normalise = (code: string) => code.trim().toUpperCase();

function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}
