import { GIVEAWAY_MAX_CODES, refundFormula } from '@quickcart/orders/contract';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Input } from 'telegraf';
import { actor, adminCopy as t, defineCommand, rupiahArg, telegramId } from './command';

/** A group's chat id: negative for groups (-100…), any non-zero id is accepted. */
const chatIdArg = ([id, ...rest]: string[]) =>
  rest.length === 0 &&
  id !== undefined &&
  /^-?\d{1,16}$/.test(id) &&
  Number(id) !== 0 &&
  Number.isSafeInteger(Number(id))
    ? { chatId: Number(id) }
    : undefined;

const FORMULA_KEYS = refundFormula.keyof().options;
const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

/** Audit entries longer than a message goes as a file. */
const MAX_AUDIT_TEXT = 3500;
const AUDIT_DEFAULT = 10;

/** docs/features.md §3.2, system (the broadcast has its own module). Each calls orders, which audits. */
export const systemCommands = [
  defineCommand({
    name: 'editbalance',
    parse: ([id, amount, ...rest]) =>
      rest.length === 0 && telegramId(id) && rupiahArg(amount) !== undefined
        ? { id: telegramId(id)!, balance: rupiahArg(amount)! }
        : undefined,
    confirm: {
      preview: async (d, ctx, a) => t(ctx).editBalancePreview(await d.orders.user(a.id), a.balance),
      apply: async (d, ctx, a, key) => {
        const { balance, entry } = await d.orders.setBalance(a.id, {
          balance: a.balance,
          reference: key,
          idempotencyKey: key,
          actor: actor(ctx),
        });
        return {
          text: entry
            ? t(ctx).balanceChanged(a.id, entry.balanceAfter - entry.delta, balance)
            : t(ctx).balanceUnchanged(a.id, balance),
        };
      },
    },
  }),
  defineCommand({
    name: 'giveaway',
    parse: ([amount, count, ...rest]) => {
      const n = count !== undefined && /^\d{1,3}$/.test(count) ? Number(count) : 0;
      return rest.length === 0 && rupiahArg(amount) && n >= 1 && n <= GIVEAWAY_MAX_CODES
        ? { amount: rupiahArg(amount)!, count: n }
        : undefined;
    },
    confirm: {
      preview: async (_d, ctx, a) => t(ctx).giveawayPreview(a),
      apply: async (d, ctx, a, key) => {
        const { codes, expiresAt } = await d.orders.giveaway({ ...a, actor: actor(ctx), requestKey: key });
        return { text: t(ctx).vouchersMade({ amount: a.amount, codes, expiresAt }) };
      },
    },
  }),
  defineCommand({
    name: 'whitelist',
    parse: chatIdArg,
    run: async (d, ctx, a) => {
      const { changed } = await d.orders.setNotificationGroup(a.chatId, true, actor(ctx));
      await ctx.reply(changed ? t(ctx).groupAdded(a.chatId) : t(ctx).groupAlreadyListed(a.chatId));
    },
  }),
  defineCommand({
    name: 'rm',
    parse: chatIdArg,
    run: async (d, ctx, a) => {
      const { changed } = await d.orders.setNotificationGroup(a.chatId, false, actor(ctx));
      await ctx.reply(changed ? t(ctx).groupRemoved(a.chatId) : t(ctx).groupNotListed(a.chatId));
    },
  }),
  defineCommand({
    name: 'setformula',
    parse: (args, raw) => {
      if (raw.trim() === '') return { show: true as const };
      const m = /^\s*([a-z0-9_]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(raw);
      if (args.length !== 1 || !m || !(FORMULA_KEYS as string[]).includes(m[1])) return undefined;
      return { show: false as const, key: m[1], value: Number(m[2]) };
    },
    run: async (d, ctx, a) => {
      const formula = a.show
        ? await d.orders.refundFormula()
        : await d.orders.setRefundFormula({ key: a.key, value: a.value, actor: actor(ctx) });
      await ctx.reply(t(ctx).refundFormula(formula, a.show ? undefined : a.key));
    },
  }),
  defineCommand({
    name: 'version',
    parse: (args) => (args.length === 0 ? {} : undefined),
    run: async (d, ctx) => {
      await ctx.reply(
        t(ctx).version({
          version: VERSION,
          build: d.config.BUILD_COMMIT,
          node: process.version,
          since: new Date(Date.now() - process.uptime() * 1000).toISOString(),
        }),
      );
    },
  }),
  defineCommand({
    name: 'audit',
    parse: (args, raw) => {
      const words = raw.trim().split(/\s+/).filter(Boolean);
      if (args.length > 1) return undefined;
      if (words.length === 0) return { limit: AUDIT_DEFAULT };
      if (words.length === 1 && /^\d{1,2}$/.test(words[0]) && +words[0] >= 1 && +words[0] <= 50)
        return { limit: Number(words[0]) };
      if (words.length === 2 && words[0] === 'user' && telegramId(words[1]))
        return { user: words[1], limit: 20 };
      if (words.length === 2 && words[0] === 'invoice' && /^[A-Za-z0-9_:-]{3,200}$/.test(words[1]))
        return { reference: words[1], limit: 50 };
      return undefined;
    },
    run: async (d, ctx, a) => {
      const { items } = await d.orders.audit(a);
      if (items.length === 0) return void (await ctx.reply(t(ctx).noAuditRecords));
      const body = items.map(t(ctx).auditLine).join('\n');
      const title = t(ctx).auditTitle(items.length, a);
      if (body.length > MAX_AUDIT_TEXT) {
        await ctx.replyWithDocument(Input.fromBuffer(Buffer.from(body + '\n'), t(ctx).auditFileName), {
          caption: title,
        });
      } else {
        await ctx.reply(t(ctx).auditInline(title, body), { parse_mode: 'HTML' });
      }
    },
  }),
];
