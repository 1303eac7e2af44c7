import { priceRoleOf } from '@quickcart/catalog/contract';
import { Conflict, NotFound, Upstream } from '@quickcart/kit';
import { ORDERS_REFUSAL } from '@quickcart/orders/contract';
import type { BotDeps, ShopContext } from '../context';
import { answer, copyOf, languageOf, requestKey, respond, respondWithPhoto } from '../context';
import {
  backKeyboard,
  btn,
  inline,
  quantityKeyboard,
  saldoConfirmKeyboard,
  summaryKeyboard,
} from '../keyboards';
import { showAllProducts } from './browse';
import { showMainMenu } from './menu';
import { replyWithQr } from './qr-reply';

/** §2.4: a product and its quantity, edited in place; never below 1 nor above the stock. */
export async function showProduct(
  d: BotDeps,
  ctx: ShopContext,
  productId: number,
  wanted = 1,
): Promise<void> {
  await ctx.session.expect(undefined);
  const { text, screens } = copyOf(ctx);
  const product = await d.catalog.product(productId, { role: priceRoleOf(ctx.shop.user) }).catch((error) => {
    if (error instanceof NotFound) return undefined;
    throw error;
  });
  if (!product) return showAllProducts(d, ctx, 1, text.productGone);
  if (product.stock === 0) return showAllProducts(d, ctx, 1, text.outOfStock);
  const qty = Math.min(Math.max(1, wanted), product.stock);
  if (wanted > product.stock) await answer(ctx, text.qtyMax(product.stock));
  else if (wanted < 1) await answer(ctx, text.qtyMin);
  const keyboard = quantityKeyboard(languageOf(ctx), product.id, qty);
  // A product with a picture shows it, the detail as its caption (§2.4); lists stay text.
  if (product.imageFileId) {
    if (await respondWithPhoto(ctx, product.imageFileId, screens.productCaption(product, qty), keyboard))
      return;
    d.logger.warn('product picture refused by Telegram; detail shown as text', { productId: product.id });
  }
  await respond(ctx, screens.productDetail(product, qty), keyboard);
}

/** §2.5: the summary with both totals; nothing is reserved yet. */
export async function showSummary(
  d: BotDeps,
  ctx: ShopContext,
  productId: number,
  qty: number,
): Promise<void> {
  const quote = await quoteOrExplain(d, ctx, productId, qty);
  if (quote)
    await respond(
      ctx,
      copyOf(ctx).screens.checkoutSummary(quote),
      summaryKeyboard(languageOf(ctx), productId, qty),
    );
}

/** §3.3 [Gunakan Voucher]: the next text is the code, for this summary. */
export async function askVoucher(
  d: BotDeps,
  ctx: ShopContext,
  productId: number,
  qty: number,
): Promise<void> {
  await ctx.session.update((s) => ({
    ...s,
    awaiting: 'voucher_code',
    voucherFor: { productId, qty },
  }));
  const { text, buttons } = copyOf(ctx);
  await respond(
    ctx,
    text.voucherAsk,
    inline([[btn(buttons.backUpper, { kind: 'summary', productId, qty })]]),
  );
}

/** The typed code: checked by orders (not yet held: the order holds it), then the summary again. */
export async function applyVoucher(d: BotDeps, ctx: ShopContext, code: string): Promise<void> {
  const { voucherFor } = ctx.session.get();
  await ctx.session.update((s) => ({ ...s, awaiting: undefined, voucherFor: undefined }));
  if (!voucherFor) return showMainMenu(d, ctx, false);
  const { text } = copyOf(ctx);
  try {
    const voucher = await d.orders.checkVoucher(code, ctx.shop.user.id);
    await ctx.session.update((s) => ({
      ...s,
      voucher: { code: voucher.code, amount: voucher.amount, productId: voucherFor.productId },
    }));
    await ctx.reply(text.voucherApplied(voucher.amount));
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    await ctx.reply(voucherRefusal(ctx, error) ?? text.voucherInvalid);
  }
  await showSummary(d, ctx, voucherFor.productId, voucherFor.qty);
}

const VOUCHER_REFUSALS: Record<
  string,
  'voucherInvalid' | 'voucherExpired' | 'voucherCooldown' | 'voucherCoversAll'
> = {
  [ORDERS_REFUSAL.voucherInvalid]: 'voucherInvalid',
  [ORDERS_REFUSAL.voucherExpired]: 'voucherExpired',
  [ORDERS_REFUSAL.voucherCooldown]: 'voucherCooldown',
  [ORDERS_REFUSAL.nothingToPay]: 'voucherCoversAll',
};
const voucherRefusal = (ctx: ShopContext, error: Conflict): string | undefined => {
  const key = VOUCHER_REFUSALS[error.reason ?? ''];
  return key && copyOf(ctx).text[key];
};

/** The voucher the customer applied to this product, if any. */
function voucherFor(ctx: ShopContext, productId: number): string | undefined {
  const { voucher } = ctx.session.get();
  return voucher?.productId === productId ? voucher.code : undefined;
}

const forgetVoucher = (ctx: ShopContext) => ctx.session.update((s) => ({ ...s, voucher: undefined }));

/** QRIS: the press's payment run opens the order and answers with the QR, which is the reply. */
export async function payByQris(d: BotDeps, ctx: ShopContext, productId: number, qty: number): Promise<void> {
  const { text } = copyOf(ctx);
  await answer(ctx, text.creatingInvoice);
  await checkout(d, ctx, productId, qty, 'qris', text.qrisInvoiceCreated);
}

/** §2.7: SALDO asks to confirm (total and balance after); not enough balance is said at once. */
export async function askSaldo(d: BotDeps, ctx: ShopContext, productId: number, qty: number): Promise<void> {
  const quote = await quoteOrExplain(d, ctx, productId, qty);
  if (!quote) return;
  const { text, screens } = copyOf(ctx);
  const language = languageOf(ctx);
  if (quote.balance < quote.balanceTotal)
    return respond(ctx, text.insufficientBalance, backKeyboard(language));
  await respond(ctx, screens.saldoConfirm(quote), saldoConfirmKeyboard(language, productId, qty));
}

export async function payBySaldo(
  d: BotDeps,
  ctx: ShopContext,
  productId: number,
  qty: number,
): Promise<void> {
  const { text } = copyOf(ctx);
  await answer(ctx, text.paying);
  await checkout(d, ctx, productId, qty, 'balance', text.saldoPaymentStarted);
}

/**
 * The confirmation the customer pressed, which the run edits into the receipt with the goods (issue 18):
 * the goods are the reply to the press. Nothing edits it before then, so neither a slow answer nor this
 * update handed over again can cover the goods; its buttons go with the receipt edit.
 */
function confirmationPressed(ctx: ShopContext): number | undefined {
  const message = ctx.callbackQuery?.message;
  return message && 'text' in message ? message.message_id : undefined;
}

async function checkout(
  d: BotDeps,
  ctx: ShopContext,
  productId: number,
  qty: number,
  paymentMethod: 'qris' | 'balance',
  started: (invoiceId: string) => string,
): Promise<void> {
  try {
    const order = await d.orders.checkout({
      userId: ctx.shop.user.id,
      productId,
      quantity: qty,
      paymentMethod,
      voucherCode: voucherFor(ctx, productId),
      // Telegram may hand this press over again: orders then answers the order it made the first time.
      requestKey: requestKey(ctx, 'checkout'),
      pressMessageId: paymentMethod === 'balance' ? confirmationPressed(ctx) : undefined,
    });
    // The order holds the voucher now; an expired or cancelled order gives it back for another try.
    await forgetVoucher(ctx);
    if (order.qr) return replyWithQr(d, ctx, order.invoiceId, order.qr);
    // A balance purchase's run turns the pressed confirmation into the receipt itself.
    if (order.pressMessageId === null) await respond(ctx, started(order.invoiceId));
  } catch (error) {
    // A new message: the summary keeps its buttons, so pressing again is one tap.
    if (isBusy(error)) return void (await ctx.reply(copyOf(ctx).text.busy));
    if (toldByTheRun(error)) return;
    if (!(error instanceof Conflict || error instanceof NotFound)) throw error;
    await explainRefusal(d, ctx, error, productId, qty);
  }
}

async function quoteOrExplain(d: BotDeps, ctx: ShopContext, productId: number, qty: number) {
  try {
    return await d.orders.quote({
      userId: ctx.shop.user.id,
      productId,
      quantity: qty,
      voucherCode: voucherFor(ctx, productId),
    });
  } catch (error) {
    if (!(error instanceof Conflict || error instanceof NotFound)) throw error;
    await explainRefusal(d, ctx, error, productId, qty);
    return undefined;
  }
}

async function explainRefusal(
  d: BotDeps,
  ctx: ShopContext,
  error: Conflict | NotFound,
  productId: number,
  qty: number,
): Promise<void> {
  const { text } = copyOf(ctx);
  if (error instanceof NotFound) return showAllProducts(d, ctx, 1, text.productGone);
  const voucherProblem = voucherRefusal(ctx, error);
  if (voucherProblem) {
    // The voucher went (used, expired, taken by another order): say so, and go on without it.
    if (error.reason !== ORDERS_REFUSAL.nothingToPay) await forgetVoucher(ctx);
    await ctx.reply(voucherProblem);
    return error.reason === ORDERS_REFUSAL.nothingToPay ? undefined : showSummary(d, ctx, productId, qty);
  }
  if (error.reason === ORDERS_REFUSAL.insufficientBalance)
    return respond(ctx, text.insufficientBalance, backKeyboard(languageOf(ctx)));
  if (error.reason === ORDERS_REFUSAL.qrisBelowMinimum) {
    // Pakasir's minimum (docs/features.md §2.5): nothing was reserved; the summary above still offers SALDO.
    await ctx.reply(text.qrisBelowMinimum(Number(error.details?.minimum)));
    return;
  }
  if (error.reason === ORDERS_REFUSAL.outOfStock) {
    const available = Number(error.details?.available ?? 0);
    if (available === 0) return showAllProducts(d, ctx, 1, text.outOfStock);
    await answer(ctx, text.notEnoughStock(available), true);
    return showProduct(d, ctx, productId, available);
  }
  throw error;
}

/** Batalkan / BATALKAN before paying: nothing is held yet, so back to the menu. */
export async function cancelFlow(d: BotDeps, ctx: ShopContext): Promise<void> {
  await answer(ctx, copyOf(ctx).text.cancelled);
  await showMainMenu(d, ctx, false);
}

/**
 * §2.6 Status Pembayaran: answered at once ("⏳"), then orders asks Pakasir (up to 10 s) and the result
 * comes as a message; paid completes the order at once. The check runs after this update is done, so
 * the bot goes on reading everyone's updates meanwhile.
 */
export async function paymentStatus(d: BotDeps, ctx: ShopContext, invoiceId: string): Promise<void> {
  const { text } = copyOf(ctx);
  if (!(await ownsInvoice(d, ctx, invoiceId))) return answer(ctx, text.staleButton);
  await answer(ctx, text.checkingPayment);
  void tellPaymentStatus(d, ctx, invoiceId);
}

async function tellPaymentStatus(d: BotDeps, ctx: ShopContext, invoiceId: string): Promise<void> {
  const { text } = copyOf(ctx);
  try {
    const { status } = await d.orders.checkPayment(invoiceId);
    await ctx.reply(
      status === 'paid' ? text.paidProcessing : status === 'unpaid' ? text.unpaid : text.invoiceClosed,
    );
  } catch (error) {
    d.logger.error('payment status check failed', { invoiceId, userId: ctx.shop.user.id, error });
    await ctx.reply(text.tryAgain).catch(() => undefined);
  }
}

/** §2.6 Batalkan on the QR: the workflow cancels the invoice, releases the stock and replaces the QR. */
export async function cancelInvoice(d: BotDeps, ctx: ShopContext, invoiceId: string): Promise<void> {
  const { text } = copyOf(ctx);
  if (!(await ownsInvoice(d, ctx, invoiceId))) return answer(ctx, text.staleButton);
  try {
    await d.orders.cancel(invoiceId, 'customer');
    await answer(ctx, text.invoiceCancelling);
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    await answer(ctx, text.invoiceClosed);
  }
}

async function ownsInvoice(d: BotDeps, ctx: ShopContext, invoiceId: string): Promise<boolean> {
  const order = await d.orders.order(invoiceId).catch(() => undefined);
  return order?.userId === ctx.shop.user.id;
}

/**
 * Temporal did not answer the press in time (CHECKOUT_TIMEOUT): nothing was kept, the customer is told so
 * at once and may press again. Not an error to retry: a retry would keep the customer waiting longer.
 */
export const isBusy = (error: unknown): boolean =>
  error instanceof Upstream && error.reason === ORDERS_REFUSAL.busy;

/** The press's run failed after opening: it gave everything back and tells the customer itself. */
export const toldByTheRun = (error: unknown): boolean =>
  error instanceof Conflict && error.reason === ORDERS_REFUSAL.paymentFailed;
