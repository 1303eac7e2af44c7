import { Conflict, NotFound } from '@quickcart/kit';
import { ORDERS_REFUSAL, type User } from '@quickcart/orders/contract';
import { TelegramError } from 'telegraf';
import type { BotDeps, ShopContext } from '../context';
import { adminText as t, usage } from '../copy/admin';
import { text as customerText } from '../copy/customer';
import { actor, defineCommand, rupiahArg, telegramId } from './command';
import { sendLongText } from '../telegram-limits';

const userIdArg = ([id, ...rest]: string[]) =>
  rest.length === 0 && telegramId(id) ? { id: telegramId(id)! } : undefined;

async function setRole(
  d: BotDeps,
  ctx: ShopContext,
  id: number,
  role: 'customer' | 'reseller' | 'admin',
  done: string,
  from?: 'reseller' | 'admin',
) {
  await d.orders.setRole(id, role, actor(ctx), from);
  await ctx.reply(done);
}

/** docs/features.md §3.2, users: each calls orders, which owns the rule and writes the audit entry. */
export const userCommands = [
  defineCommand({
    name: 'info',
    ...usage.info,
    parse: userIdArg,
    run: async (d, ctx, a) => {
      const u = await d.orders.user(a.id);
      const history = await d.orders.orderHistory(a.id, 1);
      const flags = await d.orders.fraudFlags(a.id);
      await ctx.reply(t.userInfo(u, history.totalItems, flags.items), { parse_mode: 'HTML' });
    },
  }),
  defineCommand({
    name: 'pm',
    ...usage.pm,
    parse: ([id, ...text]) =>
      telegramId(id) && text.join('|').trim()
        ? { id: telegramId(id)!, text: text.join('|').trim() }
        : undefined,
    run: async (d, ctx, a) => {
      // On the record first (404 for an unknown user): a message sent is never unaudited.
      await d.orders.recordAdminMessage(a.id, { text: a.text, actor: actor(ctx) });
      try {
        await sendLongText(ctx.telegram, a.id, customerText.fromAdmin(a.text));
      } catch (error) {
        if (error instanceof TelegramError && error.code === 403)
          return void (await ctx.reply(t.userBlockedBot));
        throw error;
      }
      await ctx.reply(t.messageSent);
    },
  }),
  defineCommand({
    name: 'transfer',
    ...usage.transfer,
    parse: ([id, amount]) =>
      telegramId(id) && rupiahArg(amount) ? { id: telegramId(id)!, amount: rupiahArg(amount)! } : undefined,
    confirm: {
      preview: async (d, _ctx, a) => t.transferPreview(await d.orders.user(a.id), a.amount),
      apply: async (d, ctx, a, key) => {
        const entry = await d.orders.transfer(a.id, {
          delta: a.amount,
          reference: key,
          idempotencyKey: key,
          actor: actor(ctx),
        });
        return { text: t.transferred(a.id, a.amount, entry.balanceAfter) };
      },
    },
  }),
  defineCommand({
    name: 'ban',
    ...usage.ban,
    parse: userIdArg,
    run: async (d, ctx, a) => {
      await d.orders.setBanned(a.id, true, actor(ctx));
      await ctx.reply(t.banned(a.id));
    },
  }),
  defineCommand({
    name: 'unban',
    ...usage.unban,
    parse: userIdArg,
    run: async (d, ctx, a) => {
      await d.orders.setBanned(a.id, false, actor(ctx));
      await ctx.reply(t.unbanned(a.id));
    },
  }),
  defineCommand({
    name: 'addadmin',
    ...usage.addadmin,
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'admin', t.nowAdmin(a.id)),
    changesAdmin: (a) => ({ userId: a.id, admin: true }),
  }),
  defineCommand({
    name: 'rmadmin',
    ...usage.rmadmin,
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'customer', t.noLongerAdmin(a.id), 'admin'),
    changesAdmin: (a) => ({ userId: a.id, admin: false }),
  }),
  defineCommand({
    name: 'addreseller',
    ...usage.addreseller,
    parse: userIdArg,
    run: async (d, ctx, a) => {
      let user: User;
      try {
        user = await d.orders.setRole(a.id, 'reseller', actor(ctx));
      } catch (error) {
        // Orders keeps an admin an admin; taking the role away is a deliberate /rmadmin.
        if (!(error instanceof Conflict && error.reason === ORDERS_REFUSAL.isAdmin)) throw error;
        return void (await ctx.reply(t.isAdminNotReseller(a.id)));
      }
      await ctx.telegram.sendMessage(a.id, customerText.nowReseller).catch(() => undefined); // the role is set whether or not they can be reached
      const { chatIds } = await d.orders.notificationRecipients();
      for (const chatId of chatIds) {
        await ctx.telegram.sendMessage(chatId, t.upgradedToReseller(user.name)).catch(() => undefined);
      }
    },
  }),
  defineCommand({
    name: 'rmress',
    ...usage.rmress,
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'customer', t.noLongerReseller(a.id), 'reseller'),
  }),
];

/** What a refusal from orders means to an admin. */
export function explainOrdersRefusal(error: unknown): string | undefined {
  if (error instanceof NotFound && error.reason === ORDERS_REFUSAL.user) return t.userNotFound;
  if (error instanceof Conflict && error.reason === ORDERS_REFUSAL.bootstrapAdmin) return t.bootstrapAdmin;
  // /rmress on an admin, /rmadmin on a reseller: nothing changes (orders checks under the row lock).
  if (error instanceof Conflict && error.reason === ORDERS_REFUSAL.roleMismatch)
    return t.roleMismatch(error.details?.expected, error.details?.role);
  return undefined;
}
