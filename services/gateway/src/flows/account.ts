import { Conflict, Invalid, parseRupiah } from '@quickcart/kit';
import type { Language } from '@quickcart/orders/contract';
import { menuInChosenLanguage } from '../admin/register';
import type { BotDeps, ShopContext } from '../context';
import { answer, copyOf, languageOf, requestKey, respond } from '../context';
import { accountKeyboard, btn, depositKeyboard, inline, languageKeyboard, pager } from '../keyboards';
import { isBusy, toldByTheRun } from './buy';
import { productKeyboard } from './menu';
import { replyWithQr } from './qr-reply';

/** §2.9 AKUN: the profile and its buttons. */
export async function showAccount(d: BotDeps, ctx: ShopContext): Promise<void> {
  await ctx.session.expect(undefined);
  const { screens } = copyOf(ctx);
  await respond(
    ctx,
    screens.account(await d.orders.user(ctx.shop.user.id)),
    accountKeyboard(languageOf(ctx)),
  );
}

/** §8.1 "🌐 Bahasa / Language": the two languages, each named in itself. */
export async function showLanguages(d: BotDeps, ctx: ShopContext): Promise<void> {
  await ctx.session.expect(undefined);
  await respond(ctx, copyOf(ctx).text.languageAsk, languageKeyboard(languageOf(ctx)));
}

/**
 * The customer's choice, kept by orders (and on the audit record); from now on it wins over Telegram's
 * language. Everything changes at once: this answer, the reply keyboard's labels, the command menu, the
 * account screen, and the notices this replica sends (another replica within its short cache).
 */
export async function chooseLanguage(d: BotDeps, ctx: ShopContext, language: Language): Promise<void> {
  const user = await d.orders.setLanguage(ctx.shop.user.id, language, String(ctx.shop.user.id));
  ctx.shop.user = user;
  d.languages.remember(user);
  await menuInChosenLanguage(d, ctx);
  await answer(ctx);
  await showAccount(d, ctx);
  // The reply keyboard's labels come only with a message: the confirmation carries them.
  await ctx.reply(copyOf(ctx).text.languageSaved, await productKeyboard(d, ctx));
}

const EDIT = {
  name: { awaiting: 'edit_name', prompt: 'editName', bad: 'badName' },
  email: { awaiting: 'edit_email', prompt: 'editEmail', bad: 'badEmail' },
  whatsapp: { awaiting: 'edit_whatsapp', prompt: 'editWhatsapp', bad: 'badWhatsapp' },
} as const;
export type EditField = keyof typeof EDIT;

export async function askEdit(d: BotDeps, ctx: ShopContext, field: EditField): Promise<void> {
  await answer(ctx);
  await ctx.session.expect(EDIT[field].awaiting);
  await ctx.reply(copyOf(ctx).text[EDIT[field].prompt]);
}

/** Edits validate as in onboarding (orders owns the rules); a refusal says why and waits for another try. */
export async function saveEdit(d: BotDeps, ctx: ShopContext, field: EditField, value: string): Promise<void> {
  const { text } = copyOf(ctx);
  try {
    await d.orders.updateProfile(ctx.shop.user.id, { [field]: value.trim() });
  } catch (error) {
    if (error instanceof Conflict) return void (await ctx.reply(text.emailTaken));
    if (error instanceof Invalid) return void (await ctx.reply(text[EDIT[field].bad]));
    throw error;
  }
  await ctx.reply(text.saved);
  await showAccount(d, ctx);
}

export async function showHistory(d: BotDeps, ctx: ShopContext, page: number): Promise<void> {
  const h = await d.orders.orderHistory(ctx.shop.user.id, page);
  const { buttons, screens } = copyOf(ctx);
  const language = languageOf(ctx);
  // docs/features.md §2.9.1: a paid order inside its warranty gets its claim button, orders decides which.
  const claims = h.claimable.map((invoiceId) => [
    btn(buttons.warrantyClaim(invoiceId), { kind: 'warrantyClaim', invoiceId }),
  ]);
  await respond(
    ctx,
    screens.history(h.items, h.page, h.totalPages),
    inline([
      ...claims,
      ...pager(language, h.page, h.totalPages, (p) => ({ kind: 'history', page: p }), { kind: 'account' }),
    ]),
  );
}

/** §2.10 Deposit: quick amounts, or a custom amount typed as text. */
export async function showDeposit(d: BotDeps, ctx: ShopContext): Promise<void> {
  await ctx.session.expect(undefined);
  await respond(ctx, copyOf(ctx).text.depositMenu, depositKeyboard(languageOf(ctx)));
}

export async function askDepositAmount(d: BotDeps, ctx: ShopContext): Promise<void> {
  await answer(ctx);
  await ctx.session.expect('deposit_amount');
  await ctx.reply(copyOf(ctx).text.depositAskAmount);
}

/** "50.000", "Rp 50000" and "50000" all mean Rp50.000; at most 9 digits (orders checks the range). */
export const parseDepositAmount = (typed: string): number | undefined => parseRupiah(typed, 9);

export async function deposit(d: BotDeps, ctx: ShopContext, amount: number | undefined): Promise<void> {
  const { text } = copyOf(ctx);
  if (amount === undefined) return void (await ctx.reply(text.depositBadAmount));
  try {
    const order = await d.orders.deposit({
      userId: ctx.shop.user.id,
      amount,
      requestKey: requestKey(ctx, 'deposit'),
    });
    await ctx.session.expect(undefined);
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
