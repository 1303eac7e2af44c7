import { Conflict, Invalid, parseRupiah } from '@quickcart/kit';
import type { BotDeps, ShopContext } from '../context';
import { answer, requestKey, respond } from '../context';
import { accountKeyboard, depositKeyboard, inline, pager } from '../keyboards';
import { text } from '../copy/customer';
import { account, history } from '../copy/customer-screens';
import { isBusy, toldByTheRun } from './buy';
import { replyWithQr } from './qr-reply';

/** §2.9 AKUN: the profile and its buttons. */
export async function showAccount(d: BotDeps, ctx: ShopContext): Promise<void> {
  await d.sessions.expect(ctx.shop.user.id, undefined);
  await respond(ctx, account(await d.orders.user(ctx.shop.user.id)), accountKeyboard());
}

const EDIT = {
  name: { awaiting: 'edit_name', prompt: text.editName, bad: text.badName },
  email: { awaiting: 'edit_email', prompt: text.editEmail, bad: text.badEmail },
  whatsapp: { awaiting: 'edit_whatsapp', prompt: text.editWhatsapp, bad: text.badWhatsapp },
} as const;
export type EditField = keyof typeof EDIT;

export async function askEdit(d: BotDeps, ctx: ShopContext, field: EditField): Promise<void> {
  await answer(ctx);
  await d.sessions.expect(ctx.shop.user.id, EDIT[field].awaiting);
  await ctx.reply(EDIT[field].prompt);
}

/** Edits validate as in onboarding (orders owns the rules); a refusal says why and waits for another try. */
export async function saveEdit(d: BotDeps, ctx: ShopContext, field: EditField, value: string): Promise<void> {
  try {
    await d.orders.updateProfile(ctx.shop.user.id, { [field]: value.trim() });
  } catch (error) {
    if (error instanceof Conflict) return void (await ctx.reply(text.emailTaken));
    if (error instanceof Invalid) return void (await ctx.reply(EDIT[field].bad));
    throw error;
  }
  await ctx.reply(text.saved);
  await showAccount(d, ctx);
}

export async function showHistory(d: BotDeps, ctx: ShopContext, page: number): Promise<void> {
  const h = await d.orders.orderHistory(ctx.shop.user.id, page);
  await respond(
    ctx,
    history(h.items, h.page, h.totalPages),
    inline(pager(h.page, h.totalPages, (p) => ({ kind: 'history', page: p }), { kind: 'account' })),
  );
}

/** §2.10 Deposit: quick amounts, or a custom amount typed as text. */
export async function showDeposit(d: BotDeps, ctx: ShopContext): Promise<void> {
  await d.sessions.expect(ctx.shop.user.id, undefined);
  await respond(ctx, text.depositMenu, depositKeyboard());
}

export async function askDepositAmount(d: BotDeps, ctx: ShopContext): Promise<void> {
  await answer(ctx);
  await d.sessions.expect(ctx.shop.user.id, 'deposit_amount');
  await ctx.reply(text.depositAskAmount);
}

/** "50.000", "Rp 50000" and "50000" all mean Rp50.000; at most 9 digits (orders checks the range). */
export const parseDepositAmount = (typed: string): number | undefined => parseRupiah(typed, 9);

export async function deposit(d: BotDeps, ctx: ShopContext, amount: number | undefined): Promise<void> {
  if (amount === undefined) return void (await ctx.reply(text.depositBadAmount));
  try {
    const order = await d.orders.deposit({
      userId: ctx.shop.user.id,
      amount,
      requestKey: requestKey(ctx, 'deposit'),
    });
    await d.sessions.expect(ctx.shop.user.id, undefined);
    await answer(ctx, text.creatingInvoice);
    if (order.qr) return replyWithQr(d, ctx, order.invoiceId, order.qr);
    await respond(ctx, text.depositInvoiceCreated(order.invoiceId));
  } catch (error) {
    if (isBusy(error)) return void (await ctx.reply(text.busy));
    if (toldByTheRun(error)) return;
    if (error instanceof Invalid) return void (await ctx.reply(text.depositBadAmount));
    throw error;
  }
}
