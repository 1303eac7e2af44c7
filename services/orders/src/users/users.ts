import type { AuditOutbox } from '@quickcart/audit';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, Forbidden, NotFound } from '@quickcart/kit';
import { randomInt } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ORDERS_REFUSAL, type Language, type Role, type User } from '../contract';
import { toUser, type UserRow } from '../db/rows';

const BANK_ID_ATTEMPTS = 20;

/** Customers, resellers and admins (docs/features.md §1, §2.1, §2.9). */
export class Users {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
    /** ADMIN_IDS: admins that no command can demote. */
    private readonly bootstrapAdmins: ReadonlySet<number>,
  ) {}

  /** /start: the user by Telegram id, created on first contact with a unique random 6-digit bank id. */
  async upsert(input: {
    id: number;
    username?: string | null;
    name?: string | null;
    languageCode?: string | null;
  }): Promise<{ user: User; isNew: boolean }> {
    // The gateway calls this on every update: a known user whose username and Telegram language are
    // unchanged is a plain read, no row lock and no commit to wait for (the upsert below always writes).
    const [known] = await this.sequelize.query<UserRow>('SELECT * FROM orders.users WHERE id = :id', {
      replacements: { id: input.id },
      type: QueryTypes.SELECT,
    });
    const same = (given: string | null | undefined, stored: string | null) => !given || given === stored;
    if (known && same(input.username, known.username) && same(input.languageCode, known.telegram_language)) {
      return { user: this.view(known), isNew: false };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const [row] = await this.sequelize.query<UserRow & { inserted: boolean }>(
          `INSERT INTO orders.users (id, name, username, bank_id, role, telegram_language)
           VALUES (:id, COALESCE(:name, 'Anonymous'), :username, :bankId, :role, :languageCode)
           ON CONFLICT (id) DO UPDATE SET username = COALESCE(EXCLUDED.username, orders.users.username),
                                          telegram_language = COALESCE(EXCLUDED.telegram_language,
                                                                       orders.users.telegram_language),
                                          updated_at = now()
           RETURNING *, (xmax = 0) AS inserted`,
          {
            replacements: {
              id: input.id,
              name: input.name ?? null,
              username: input.username ?? null,
              languageCode: input.languageCode ?? null,
              bankId: String(randomInt(0, 1_000_000)).padStart(6, '0'),
              role: this.bootstrapAdmins.has(input.id) ? 'admin' : 'customer',
            },
            type: QueryTypes.SELECT,
          },
        );
        return { user: this.view(row), isNew: row.inserted };
      } catch (error) {
        // A bank id collision: draw again (docs/features.md §2.1 "retried on collision").
        if (pgCode(error) !== PG.uniqueViolation || attempt >= BANK_ID_ATTEMPTS) throw error;
      }
    }
  }

  async get(id: number, t?: Transaction): Promise<User> {
    return this.view(await this.row(id, t));
  }

  async updateProfile(
    id: number,
    changes: { name?: string; email?: string | null; whatsapp?: string | null },
  ): Promise<User> {
    const set = Object.entries(changes).filter(([, v]) => v !== undefined);
    try {
      await this.sequelize.query(
        `UPDATE orders.users SET ${set.map(([k]) => `${k} = :${k}`).join(', ')}, updated_at = now() WHERE id = :id`,
        { replacements: { id, ...Object.fromEntries(set) } },
      );
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation)
        throw new Conflict('this email is used by another account', ORDERS_REFUSAL.emailTaken);
      throw error;
    }
    return this.get(id);
  }

  async setRole(id: number, role: Role, actor: string, from?: Role): Promise<User> {
    if (this.bootstrapAdmins.has(id) && role !== 'admin') {
      throw new Conflict('a bootstrap admin (ADMIN_IDS) cannot be demoted', ORDERS_REFUSAL.bootstrapAdmin);
    }
    return this.change(id, actor, 'user.role', { role }, (before) => {
      if (from && before.role !== from)
        throw new Conflict(`user ${id} is ${before.role}, not ${from}`, ORDERS_REFUSAL.roleMismatch, {
          role: before.role,
          expected: from,
        });
      // /addreseller would otherwise take the admin role away as a side effect; demoting is /rmadmin's.
      if (role === 'reseller' && before.isAdmin)
        throw new Conflict(`user ${id} is an admin; remove the admin role first`, ORDERS_REFUSAL.isAdmin);
    });
  }

  async setBanned(id: number, banned: boolean, actor: string): Promise<User> {
    return this.change(id, actor, banned ? 'user.ban' : 'user.unban', { is_banned: banned });
  }

  /**
   * The user's own choice of language (account menu, or /lang for an admin): from now on it wins over
   * Telegram's language_code. On the record like any change to a user.
   */
  async setLanguage(id: number, language: Language, actor: string): Promise<User> {
    return this.change(id, actor, 'user.language', { language });
  }

  /** Telegram answered 403: the user blocked the bot; stop messaging them until they come back. */
  async setBlockedBot(id: number, blocked: boolean): Promise<User> {
    await this.sequelize.query(
      'UPDATE orders.users SET blocked_bot = :blocked, updated_at = now() WHERE id = :id',
      {
        replacements: { id, blocked },
      },
    );
    return this.get(id);
  }

  /** /pm: an admin messaged a user; the message is on the record, the user's data is not changed. */
  async recordAdminMessage(id: number, actor: string, text: string): Promise<void> {
    await this.sequelize
      .transaction(async (t) => {
        await this.row(id, t);
        await this.outbox.add(
          { actor, action: 'user.pm', target: { type: 'user', id: String(id) }, after: { text } },
          t,
        );
      })
      .finally(() => this.outbox.flushSoon());
  }

  /**
   * Refuses (403) an admin change whose actor is not an admin here: a bootstrap id (ADMIN_IDS) or a
   * user whose role is admin. The gateway names the admin who sent the command; its token alone makes
   * no one an admin (docs/security.md).
   */
  async requireAdmin(actor: string): Promise<void> {
    const id = /^[1-9]\d{0,15}$/.test(actor) ? Number(actor) : undefined;
    if (id !== undefined && this.bootstrapAdmins.has(id)) return;
    const [row] =
      id === undefined
        ? []
        : await this.sequelize.query<{ role: Role }>('SELECT role FROM orders.users WHERE id = :id', {
            replacements: { id },
            type: QueryTypes.SELECT,
          });
    if (row?.role !== 'admin')
      throw new Forbidden(`${actor} is not an admin`, ORDERS_REFUSAL.notAdmin, { actor });
  }

  /** Every admin: the bootstrap ids (ADMIN_IDS) and those promoted with /addadmin. */
  async admins(): Promise<number[]> {
    const rows = await this.sequelize.query<{ id: number }>(
      `SELECT id FROM orders.users WHERE role = 'admin' UNION SELECT unnest(ARRAY[:bootstrap]::bigint[])`,
      { replacements: { bootstrap: [...this.bootstrapAdmins, 0] }, type: QueryTypes.SELECT },
    );
    return rows
      .map((r) => r.id)
      .filter((id) => id !== 0)
      .sort((a, b) => a - b);
  }

  /** Everyone who hears about orders and deposits: admins and whitelisted groups (docs/features.md §1). */
  async notificationRecipients(): Promise<number[]> {
    const rows = await this.sequelize.query<{ id: number }>(
      `SELECT id FROM orders.users WHERE role = 'admin' AND NOT blocked_bot
       UNION SELECT unnest(ARRAY[:bootstrap]::bigint[])
       UNION SELECT chat_id FROM orders.notification_groups`,
      { replacements: { bootstrap: [...this.bootstrapAdmins, 0] }, type: QueryTypes.SELECT },
    );
    return rows
      .map((r) => r.id)
      .filter((id) => id !== 0)
      .sort((a, b) => a - b);
  }

  /**
   * An admin change with its audit entry, in one transaction. `assertAllowed` throws to refuse it; it
   * judges the row as locked, so a concurrent change cannot slip between the check and the write.
   */
  private async change(
    id: number,
    actor: string,
    action: string,
    values: Record<string, unknown>,
    assertAllowed: (before: User) => void = () => undefined,
  ): Promise<User> {
    return this.sequelize
      .transaction(async (t) => {
        const before = this.view(await this.row(id, t, true));
        assertAllowed(before);
        const column = Object.keys(values)[0];
        await this.sequelize.query(
          `UPDATE orders.users SET ${column} = :value, updated_at = now() WHERE id = :id`,
          {
            replacements: { id, value: Object.values(values)[0] },
            transaction: t,
          },
        );
        const after = await this.get(id, t);
        await this.outbox.add(
          {
            actor,
            action,
            target: { type: 'user', id: String(id) },
            before: pick(before, column),
            after: pick(after, column),
          },
          t,
        );
        return after;
      })
      .finally(() => this.outbox.flushSoon());
  }

  private async row(id: number, t?: Transaction, lock = false): Promise<UserRow> {
    const [row] = await this.sequelize.query<UserRow>(
      `SELECT * FROM orders.users WHERE id = :id${lock ? ' FOR UPDATE' : ''}`,
      {
        replacements: { id },
        type: QueryTypes.SELECT,
        transaction: t,
      },
    );
    if (!row) throw new NotFound(`user ${id} not found`, ORDERS_REFUSAL.user);
    return row;
  }

  private view(row: UserRow): User {
    return toUser(row, this.bootstrapAdmins);
  }
}

const FIELD: Record<string, keyof User> = { role: 'role', is_banned: 'isBanned' };
const pick = (user: User, column: string) => ({
  [FIELD[column] ?? column]: user[FIELD[column] ?? (column as keyof User)],
});
