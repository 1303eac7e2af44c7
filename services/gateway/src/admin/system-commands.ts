import { refundFormula, type AuditRecordView } from '@quickcart/orders/contract';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Input } from 'telegraf';
import { requestKey } from '../context';
import { esc, rp, wibDate } from '../format';
import { actor, defineCommand, rupiahArg, telegramId } from './command';

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

/** FEATURES.md §3.2, system (the broadcast has its own module). Each calls orders, which audits. */
export const systemCommands = [
  defineCommand({
    name: 'editbalance',
    format: '/editbalance user_id|saldo_baru',
    example: '/editbalance 123456789|150000',
    parse: ([id, amount, ...rest]) =>
      rest.length === 0 && telegramId(id) && rupiahArg(amount) !== undefined
        ? { id: telegramId(id)!, balance: rupiahArg(amount)! }
        : undefined,
    run: async (d, ctx, a) => {
      const { balance, entry } = await d.orders.setBalance(a.id, {
        balance: a.balance,
        reference: requestKey(ctx, 'editbalance'),
        idempotencyKey: requestKey(ctx, 'editbalance'),
        actor: actor(ctx),
      });
      await ctx.reply(
        entry
          ? `✅ Saldo user ${a.id} diubah dari ${rp(entry.balanceAfter - entry.delta)} menjadi ${rp(balance)}.`
          : `ℹ️ Saldo user ${a.id} sudah ${rp(balance)}; tidak ada yang diubah.`,
      );
    },
  }),
  defineCommand({
    name: 'giveaway',
    format: '/giveaway nominal|jumlah (jumlah 1–100)',
    example: '/giveaway 10000|10',
    parse: ([amount, count, ...rest]) => {
      const n = count !== undefined && /^\d{1,3}$/.test(count) ? Number(count) : 0;
      return rest.length === 0 && rupiahArg(amount) && n >= 1 && n <= 100
        ? { amount: rupiahArg(amount)!, count: n }
        : undefined;
    },
    run: async (d, ctx, a) => {
      const { codes, expiresAt } = await d.orders.giveaway({
        ...a,
        actor: actor(ctx),
        requestKey: requestKey(ctx, 'giveaway'),
      });
      await ctx.reply(
        [
          `🎁 ${codes.length} voucher ${rp(a.amount)} dibuat (sekali pakai, berlaku sampai ${wibDate(expiresAt)}):`,
          ...codes.map((c) => `<code>${c}</code>`),
        ].join('\n'),
        { parse_mode: 'HTML' },
      );
    },
  }),
  defineCommand({
    name: 'whitelist',
    format: '/whitelist chat_id_grup',
    example: '/whitelist -100123456789',
    parse: chatIdArg,
    run: async (d, ctx, a) => {
      const { changed } = await d.orders.setNotificationGroup(a.chatId, true, actor(ctx));
      await ctx.reply(
        changed
          ? `✅ Grup ${a.chatId} akan menerima notifikasi pesanan.`
          : `ℹ️ Grup ${a.chatId} sudah terdaftar.`,
      );
    },
  }),
  defineCommand({
    name: 'rm',
    format: '/rm chat_id_grup',
    example: '/rm -100123456789',
    parse: chatIdArg,
    run: async (d, ctx, a) => {
      const { changed } = await d.orders.setNotificationGroup(a.chatId, false, actor(ctx));
      await ctx.reply(
        changed ? `✅ Grup ${a.chatId} dihapus dari notifikasi.` : `ℹ️ Grup ${a.chatId} tidak terdaftar.`,
      );
    },
  }),
  defineCommand({
    name: 'setformula',
    format: `/setformula atau /setformula key=nilai (key: ${FORMULA_KEYS.join(', ')})`,
    example: '/setformula m_lt7=0.8',
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
      const lines = FORMULA_KEYS.map((k) => `${k}=${formula[k]}`);
      await ctx.reply(
        [a.show ? '📐 Formula refund:' : `✅ ${a.key} diubah. Formula refund sekarang:`, ...lines].join('\n'),
      );
    },
  }),
  defineCommand({
    name: 'version',
    format: '/version',
    example: '/version',
    parse: (args) => (args.length === 0 ? {} : undefined),
    run: async (d, ctx) => {
      await ctx.reply(
        [
          `🤖 QuickCart v${VERSION}`,
          `Build: ${d.config.BUILD_COMMIT}`,
          `Node.js ${process.version}`,
          `Aktif sejak: ${wibDate(new Date(Date.now() - process.uptime() * 1000).toISOString())}`,
        ].join('\n'),
      );
    },
  }),
  defineCommand({
    name: 'audit',
    format: '/audit user user_id, /audit invoice INV…, atau /audit jumlah (maks. 50)',
    example: '/audit user 123456789',
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
      if (items.length === 0) return void (await ctx.reply('📜 Tidak ada catatan audit yang cocok.'));
      const body = items.map(auditLine).join('\n');
      const title = `📜 ${items.length} catatan audit terbaru${a.user ? ` untuk user ${a.user}` : a.reference ? ` untuk ${a.reference}` : ''}`;
      if (body.length > MAX_AUDIT_TEXT) {
        await ctx.replyWithDocument(Input.fromBuffer(Buffer.from(body + '\n'), 'audit.txt'), {
          caption: title,
        });
      } else {
        await ctx.reply(`${title}:\n\n${esc(body)}`, { parse_mode: 'HTML' });
      }
    },
  }),
];

/** One entry on one line: when, who, what, to what, the change, and the invoice or request. */
function auditLine(e: AuditRecordView): string {
  const change = (v: unknown) => (v === null || v === undefined ? '-' : JSON.stringify(v));
  return [
    `#${e.id} ${wibDate(e.at)}`,
    e.actor,
    e.action,
    `${e.target.type}:${e.target.id}`,
    `${change(e.before)} → ${change(e.after)}`,
    ...(e.reference ? [`ref ${e.reference}`] : []),
  ].join(' · ');
}
