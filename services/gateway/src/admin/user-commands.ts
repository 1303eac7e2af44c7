import { Conflict, NotFound } from '@quickcart/kit';
import type { User } from '@quickcart/orders/contract';
import { TelegramError } from 'telegraf';
import { requestKey, type BotDeps, type ShopContext } from '../context';
import { esc, orNone, rp } from '../format';
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

/** FEATURES.md §3.2, users: each calls orders, which owns the rule and writes the audit entry. */
export const userCommands = [
  defineCommand({
    name: 'info',
    format: '/info user_id',
    example: '/info 123456789',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      const u = await d.orders.user(a.id);
      const history = await d.orders.orderHistory(a.id, 1);
      await ctx.reply(
        [
          `👤 <b>Info user ${u.id}</b>`,
          `Nama: ${esc(u.name)}`,
          `Username: ${u.username ? '@' + esc(u.username) : 'Tidak ada'}`,
          `Email: ${orNone(u.email)}`,
          `WhatsApp: ${orNone(u.whatsapp)}`,
          `Saldo: ${rp(u.balance)}`,
          `Role: ${u.isAdmin ? 'admin' : u.role}`,
          `Diblokir: ${u.isBanned ? 'ya' : 'tidak'}`,
          `Transaksi: ${history.totalItems}`,
        ].join('\n'),
        { parse_mode: 'HTML' },
      );
    },
  }),
  defineCommand({
    name: 'pm',
    format: '/pm user_id|pesan',
    example: '/pm 123456789|Promo baru!',
    parse: ([id, ...text]) =>
      telegramId(id) && text.join('|').trim()
        ? { id: telegramId(id)!, text: text.join('|').trim() }
        : undefined,
    run: async (d, ctx, a) => {
      // On the record first (404 for an unknown user): a message sent is never unaudited.
      await d.orders.recordAdminMessage(a.id, { text: a.text, actor: actor(ctx) });
      try {
        await sendLongText(ctx.telegram, a.id, `📩 <b>Pesan dari admin:</b>\n${esc(a.text)}`);
      } catch (error) {
        if (error instanceof TelegramError && error.code === 403)
          return void (await ctx.reply('❌ User memblokir bot.'));
        throw error;
      }
      await ctx.reply('✅ Pesan terkirim.');
    },
  }),
  defineCommand({
    name: 'transfer',
    format: '/transfer user_id|jumlah',
    example: '/transfer 123456789|50000',
    parse: ([id, amount]) =>
      telegramId(id) && rupiahArg(amount) ? { id: telegramId(id)!, amount: rupiahArg(amount)! } : undefined,
    run: async (d, ctx, a) => {
      const entry = await d.orders.postLedgerEntry({
        userId: a.id,
        delta: a.amount,
        reason: 'transfer',
        reference: requestKey(ctx, 'transfer'),
        idempotencyKey: requestKey(ctx, 'transfer'),
        actor: actor(ctx),
      });
      await ctx.reply(`✅ Saldo user ${a.id} ditambah ${rp(a.amount)} (sekarang ${rp(entry.balanceAfter)}).`);
    },
  }),
  defineCommand({
    name: 'ban',
    format: '/ban user_id',
    example: '/ban 123456789',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      await d.orders.setBanned(a.id, true, actor(ctx));
      await ctx.reply(`🚫 User ${a.id} diblokir.`);
    },
  }),
  defineCommand({
    name: 'unban',
    format: '/unban user_id',
    example: '/unban 123456789',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      await d.orders.setBanned(a.id, false, actor(ctx));
      await ctx.reply(`✅ User ${a.id} tidak diblokir lagi.`);
    },
  }),
  defineCommand({
    name: 'addadmin',
    format: '/addadmin user_id',
    example: '/addadmin 123456789',
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'admin', `✅ User ${a.id} sekarang admin.`),
    changesAdmin: (a) => ({ userId: a.id, admin: true }),
  }),
  defineCommand({
    name: 'rmadmin',
    format: '/rmadmin user_id',
    example: '/rmadmin 123456789',
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'customer', `✅ User ${a.id} bukan admin lagi.`, 'admin'),
    changesAdmin: (a) => ({ userId: a.id, admin: false }),
  }),
  defineCommand({
    name: 'addreseller',
    format: '/addreseller user_id',
    example: '/addreseller 123456789',
    parse: userIdArg,
    run: async (d, ctx, a) => {
      let user: User;
      try {
        user = await d.orders.setRole(a.id, 'reseller', actor(ctx));
      } catch (error) {
        // Orders keeps an admin an admin; taking the role away is a deliberate /rmadmin.
        if (!(error instanceof Conflict && error.reason === 'is_admin')) throw error;
        return void (await ctx.reply(`❌ User ${a.id} adalah admin; hapus dulu dengan /rmadmin.`));
      }
      await ctx.telegram
        .sendMessage(
          a.id,
          '🎊 Selamat! Status Anda telah menjadi reseller.\nNikmati harga spesial dan fitur tambahan! 🏅',
        )
        .catch(() => undefined); // the role is set whether or not they can be reached
      const { chatIds } = await d.orders.notificationRecipients();
      for (const chatId of chatIds) {
        await ctx.telegram
          .sendMessage(chatId, `⭐️ User ${user.name} telah diupgrade menjadi reseller.`)
          .catch(() => undefined);
      }
    },
  }),
  defineCommand({
    name: 'rmress',
    format: '/rmress user_id',
    example: '/rmress 123456789',
    parse: userIdArg,
    run: (d, ctx, a) => setRole(d, ctx, a.id, 'customer', `✅ User ${a.id} bukan reseller lagi.`, 'reseller'),
  }),
];

/** What a refusal from orders means to an admin. */
export function explainOrdersRefusal(error: unknown): string | undefined {
  if (error instanceof NotFound && error.reason === 'user') return '❌ User tidak ditemukan.';
  if (error instanceof Conflict && error.reason === 'bootstrap_admin')
    return '❌ Admin bawaan (ADMIN_IDS) tidak bisa diturunkan.';
  // /rmress on an admin, /rmadmin on a reseller: nothing changes (orders checks under the row lock).
  if (error instanceof Conflict && error.reason === 'role_mismatch')
    return `❌ User ini bukan ${error.details?.expected} (perannya sekarang: ${error.details?.role}). Tidak ada yang diubah.`;
  return undefined;
}
