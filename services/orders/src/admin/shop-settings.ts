import type { AuditOutbox } from '@quickcart/audit';
import { Invalid } from '@quickcart/kit';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { DEFAULT_REFUND_FORMULA, type RefundFormula } from '../orders/refund';

const FORMULA_KEY = 'refund_formula';

/** What each /setformula key may be: the base is whole days, the multipliers fractions of the price. */
const FORMULA_LIMITS: Record<keyof RefundFormula, { min: number; max: number; integer: boolean }> = {
  base_days: { min: 1, max: 365, integer: true },
  m_lt7: { min: 0, max: 1, integer: false },
  m_ge7: { min: 0, max: 1, integer: false },
  m_claims_1_2: { min: 0, max: 1, integer: false },
  m_claims_3: { min: 0, max: 1, integer: false },
  m_claims_gt3: { min: 0, max: 1, integer: false },
};
export const FORMULA_KEYS = Object.keys(FORMULA_LIMITS) as (keyof RefundFormula)[];

/**
 * The shop's settings an admin changes from the bot (docs/features.md §3.2, §5): the refund formula and the
 * notification groups. Each change writes its audit entry in the same transaction.
 */
export class ShopSettings {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
  ) {}

  async refundFormula(): Promise<RefundFormula> {
    const [row] = await this.sequelize.query<{ value: Partial<RefundFormula> }>(
      'SELECT value FROM orders.settings WHERE key = :key',
      { replacements: { key: FORMULA_KEY }, type: QueryTypes.SELECT },
    );
    return { ...DEFAULT_REFUND_FORMULA, ...row?.value };
  }

  /** One key at a time, checked against its limits; answers the whole formula after the change. */
  async setRefundFormula(key: string, value: number, actor: string): Promise<RefundFormula> {
    const limits = FORMULA_LIMITS[key as keyof RefundFormula];
    if (!limits) throw new Invalid(`unknown key ${key}; one of ${FORMULA_KEYS.join(', ')}`, 'formula_key');
    if (value < limits.min || value > limits.max || (limits.integer && !Number.isInteger(value))) {
      throw new Invalid(
        `${key} must be ${limits.integer ? 'a whole number' : 'a number'} from ${limits.min} to ${limits.max}`,
        'formula_value',
      );
    }
    return this.audited(async (t) => {
      // The row lock makes two admins' changes to different keys both land.
      const [row] = await this.sequelize.query<{ value: Partial<RefundFormula> }>(
        'SELECT value FROM orders.settings WHERE key = :key FOR UPDATE',
        { replacements: { key: FORMULA_KEY }, type: QueryTypes.SELECT, transaction: t },
      );
      const before = { ...DEFAULT_REFUND_FORMULA, ...row?.value };
      const after = { ...before, [key]: value };
      await this.sequelize.query(
        `INSERT INTO orders.settings (key, value) VALUES (:key, CAST(:value AS jsonb))
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        { replacements: { key: FORMULA_KEY, value: JSON.stringify(after) }, transaction: t },
      );
      await this.outbox.add(
        {
          actor,
          action: 'settings.refund_formula',
          target: { type: 'setting', id: key },
          before: { [key]: before[key as keyof RefundFormula] },
          after: { [key]: value },
        },
        t,
      );
      return after;
    });
  }

  async notificationGroups(): Promise<number[]> {
    const rows = await this.sequelize.query<{ chat_id: number }>(
      'SELECT chat_id FROM orders.notification_groups ORDER BY added_at, chat_id',
      { type: QueryTypes.SELECT },
    );
    return rows.map((r) => r.chat_id);
  }

  /** /whitelist and /rm; answers whether anything changed (a repeat changes nothing and is not audited). */
  async setNotificationGroup(chatId: number, listed: boolean, actor: string): Promise<boolean> {
    return this.audited(async (t) => {
      // RETURNING tells whether the row was there to add or remove: a repeat changes nothing.
      const rows = await this.sequelize.query(
        listed
          ? 'INSERT INTO orders.notification_groups (chat_id) VALUES (:chatId) ON CONFLICT DO NOTHING RETURNING chat_id'
          : 'DELETE FROM orders.notification_groups WHERE chat_id = :chatId RETURNING chat_id',
        { replacements: { chatId }, transaction: t, type: QueryTypes.SELECT },
      );
      const changed = rows.length > 0;
      if (changed) {
        await this.outbox.add(
          {
            actor,
            action: listed ? 'group.whitelist' : 'group.remove',
            target: { type: 'chat', id: String(chatId) },
            before: { listed: !listed },
            after: { listed },
          },
          t,
        );
      }
      return changed;
    });
  }

  /**
   * A whitelisted group that Telegram upgraded to a supergroup answers under a new chat id; the gateway
   * finds out on a send. The group keeps its place in the list; a repeat changes nothing.
   */
  async moveNotificationGroup(from: number, to: number, actor: string): Promise<boolean> {
    return this.audited(async (t) => {
      const rows = await this.sequelize.query<{ added_at: Date }>(
        'DELETE FROM orders.notification_groups WHERE chat_id = :from RETURNING added_at',
        { replacements: { from }, transaction: t, type: QueryTypes.SELECT },
      );
      if (rows.length === 0) return false;
      await this.sequelize.query(
        `INSERT INTO orders.notification_groups (chat_id, added_at) VALUES (:to, :addedAt)
         ON CONFLICT DO NOTHING`,
        { replacements: { to, addedAt: rows[0].added_at }, transaction: t },
      );
      await this.outbox.add(
        {
          actor,
          action: 'group.migrate',
          target: { type: 'chat', id: String(from) },
          before: { chatId: from },
          after: { chatId: to },
        },
        t,
      );
      return true;
    });
  }

  private audited<T>(work: (t: Transaction) => Promise<T>) {
    return this.sequelize.transaction(work).finally(() => this.outbox.flushSoon());
  }
}
