import { Conflict, NotFound } from '@quickcart/kit';
import { ORDERS_REFUSAL, type User } from '@quickcart/orders/contract';
import { TelegramError } from 'telegraf';
import type { BotDeps, ShopContext } from '../context';
import { copyIn } from '../copy/languages';
import { actor, adminCopy as t, defineCommand, rupiahArg, telegramId } from './command';
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
    parse: userIdArg,
    run: async (d, ctx, a) => {
      const u = await d.orders.user(a.id);
      const history = await d.orders.orderHistory(a.id, 1);
      const flags = await d.orders.fraudFlags(a.id);
      await ctx.reply(t(ctx).userInfo(u, history.totalItems, flags.items), { parse_mode: 'HTML' });
    },
  }),
  defineCommand({
    name: 'pm',
    parse: ([id, ...text]) =>
      telegramId(id) && text.join('|').trim()
        ? { id: telegramId(id)!, text: text.join('|').trim() }
        : undefined,
    run: async (d, ctx, a) => {
      // On the record first (404 for an unknown user): a message sent is never unaudited.
      await d.orders.recordAdminMessage(a.id, { text: a.text, actor: actor(ctx) });
      try {
        const { text } = copyIn(await d.languages.of(a.id)); // in the customer's language
        await sendLongText(ctx.telegram, a.id, text.fromAdmin(a.text));
      } catch (error) {
        if (error instanceof TelegramError && error.code === 403)
          return void (await ctx.reply(t(ctx).userBlockedBot));
        throw error;
      }
      await ctx.reply(t(ctx).messageSent);
    },
  }),
  defineCommand({
    name: 'transfer',
    parse: ([id, amount]) =>
      telegramId(id) && rupiahArg(amount) ? { id: telegramId(id)!, amount: rupiahArg(amount)! } : undefined,
    confirm: {
      preview: async (d, ctx, a) => t(ctx).transferPreview(await d.orders.user(a.id), a.amount),
      apply: async (d, ctx, a, key) => {
        const entry = await d.orders.transfer(a.id, {
          delta: a.amount,
          reference: key,
          idempotencyKey: key,
          actor: actor(ctx),
        });
        return { text: t(ctx).transferred(a.id, a.amount, entry.balanceAfter) };
      },
    },
  }),
  defineCommand({
    name: 'ban',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      await d.orders.setBanned(a.id, true, actor(ctx));
      await ctx.reply(t(ctx).banned(a.id));
    },
  }),
  defineCommand({
    name: 'unban',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      await d.orders.setBanned(a.id, false, actor(ctx));
      await ctx.reply(t(ctx).unbanned(a.id));
    },
  }),
  defineCommand({
    name: 'addadmin',
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'admin', t(ctx).nowAdmin(a.id)),
    changesMenu: (a) => ({ userId: a.id, admin: true }),
  }),
  defineCommand({
    name: 'rmadmin',
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'customer', t(ctx).noLongerAdmin(a.id), 'admin'),
    changesMenu: (a) => ({ userId: a.id, admin: false }),
  }),
  defineCommand({
    name: 'addreseller',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      let user: User;
      try {
        user = await d.orders.setRole(a.id, 'reseller', actor(ctx));
      } catch (error) {
        // Orders keeps an admin an admin; taking the role away is a deliberate /rmadmin.
        if (!(error instanceof Conflict && error.reason === ORDERS_REFUSAL.isAdmin)) throw error;
        return void (await ctx.reply(t(ctx).isAdminNotReseller(a.id)));
      }
      // In the customer's language; the role is set whether or not they can be reached.
      const { text } = copyIn(await d.languages.of(a.id));
      await ctx.telegram.sendMessage(a.id, text.nowReseller).catch(() => undefined);
      const { chatIds } = await d.orders.notificationRecipients();
      for (const chatId of chatIds) {
        const { adminText } = copyIn(await d.languages.of(chatId));
        await ctx.telegram
          .sendMessage(chatId, adminText.upgradedToReseller(user.name))
          .catch(() => undefined);
      }
    },
  }),
  defineCommand({
    name: 'rmress',
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'customer', t(ctx).noLongerReseller(a.id), 'reseller'),
  }),
];

/** What a refusal from orders means to an admin. */
export function explainOrdersRefusal(ctx: ShopContext, error: unknown): string | undefined {
  if (error instanceof NotFound && error.reason === ORDERS_REFUSAL.user) return t(ctx).userNotFound;
  if (error instanceof Conflict && error.reason === ORDERS_REFUSAL.bootstrapAdmin)
    return t(ctx).bootstrapAdmin;
  // /rmress on an admin, /rmadmin on a reseller: nothing changes (orders checks under the row lock).
  if (error instanceof Conflict && error.reason === ORDERS_REFUSAL.roleMismatch)
    return t(ctx).roleMismatch(error.details?.expected, error.details?.role);
  return undefined;
}
