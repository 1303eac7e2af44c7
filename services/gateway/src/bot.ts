import { Telegraf } from 'telegraf';
import type { Message } from 'telegraf/types';
import { showBroadcastProgress } from './admin/broadcast-command';
import {
  abortAdminAction,
  confirmAdminAction,
  refreshAdminMenu,
  registerAdminCommands,
} from './admin/register';
import { stuckButtons } from './admin/stuck-command';
import { decode, type Action } from './callback-data';
import { answer, copyOf, type BotDeps, type ShopContext } from './context';
import {
  askDepositAmount,
  askEdit,
  deposit,
  parseDepositAmount,
  saveEdit,
  showAccount,
  showDeposit,
  chooseLanguage,
  showHistory,
  showLanguages,
} from './flows/account';
import {
  showAllProducts,
  showBestSellers,
  showCategories,
  showCategory,
  showStock,
  showTopBuyers,
} from './flows/browse';
import {
  applyVoucher,
  askSaldo,
  askVoucher,
  cancelFlow,
  cancelInvoice,
  payByQris,
  payBySaldo,
  paymentStatus,
  showProduct,
  showSummary,
} from './flows/buy';
import { askContactMessage, forwardToAdmins, relayAdminReply } from './flows/contact';
import { help, howToOrder, refund } from './flows/info';
import { showMainMenu } from './flows/menu';
import { searchProducts, searchWord } from './flows/search';
import { answerStep, isOnboarding, skipStep, startCommand } from './flows/onboarding';
import { askProblem, askRejectReason, decideClaim, rejectWithReason, submitClaim } from './flows/warranty';
import { copyIn, LANGUAGES } from './copy/languages';
import { groupChats } from './groups';
import { isLastTry, worthTryingAgain } from './inbox/bot-handler';
import { DeferUpdate } from './inbox/inbox';
import { answerPressesInTime, loadUser, rateLimit, retryAfterOnEveryCall } from './middleware';
import { countCallsOfEachUpdate, countTelegramCalls, markFailed, type GatewayMetrics } from './metrics';
import { notifierWaitOf } from './notify/route';
import { honourRetryAfter, RETRY_AFTER_POLICY, telegramWaitOf } from './retry-after';
import { ChatPace } from './chat-pace';
import type { Awaiting } from './session/sessions';
import { sendPlainJsonDirectly, sendPlainJsonDirectlyOnEveryUpdate } from './telegram-transport';

type Handler = (d: BotDeps, ctx: ShopContext, a: never) => Promise<void>;
type TextMessage = Message.TextMessage;

/** Every button, by kind: each starts its own flow, whatever the user was doing (§2.12). */
const BUTTONS: {
  [K in Action['kind']]: (d: BotDeps, ctx: ShopContext, a: Extract<Action, { kind: K }>) => Promise<void>;
} = {
  menu: (d, ctx) => showMainMenu(d, ctx, false),
  categories: (d, ctx) => showCategories(d, ctx),
  category: (d, ctx, a) => showCategory(d, ctx, a.name, a.page),
  all: (d, ctx, a) => showAllProducts(d, ctx, a.page),
  best: (d, ctx) => showBestSellers(d, ctx),
  topBuyers: (d, ctx) => showTopBuyers(d, ctx),
  product: (d, ctx, a) => showProduct(d, ctx, a.productId),
  qty: (d, ctx, a) => showProduct(d, ctx, a.productId, a.qty),
  summary: (d, ctx, a) => showSummary(d, ctx, a.productId, a.qty),
  payQris: (d, ctx, a) => payByQris(d, ctx, a.productId, a.qty),
  askSaldo: (d, ctx, a) => askSaldo(d, ctx, a.productId, a.qty),
  paySaldo: (d, ctx, a) => payBySaldo(d, ctx, a.productId, a.qty),
  cancelFlow: (d, ctx) => cancelFlow(d, ctx),
  payStatus: (d, ctx, a) => paymentStatus(d, ctx, a.invoiceId),
  cancelInvoice: (d, ctx, a) => cancelInvoice(d, ctx, a.invoiceId),
  account: (d, ctx) => showAccount(d, ctx),
  edit: (d, ctx, a) => askEdit(d, ctx, a.field),
  history: (d, ctx, a) => showHistory(d, ctx, a.page),
  deposit: (d, ctx) => showDeposit(d, ctx),
  depositAmount: (d, ctx, a) => deposit(d, ctx, a.amount),
  depositOther: (d, ctx) => askDepositAmount(d, ctx),
  skip: async (d, ctx) => {
    const { awaiting } = ctx.session.get();
    if (isOnboarding(awaiting)) await skipStep(d, ctx, awaiting);
    else await showMainMenu(d, ctx, false);
    await answer(ctx);
  },
  voucher: (d, ctx, a) => askVoucher(d, ctx, a.productId, a.qty),
  broadcastStatus: (d, ctx, a) => showBroadcastProgress(d, ctx, a.id),
  broadcastCancel: (d, ctx, a) => showBroadcastProgress(d, ctx, a.id, true),
  adminConfirm: (d, ctx, a) => confirmAdminAction(d, ctx, a.id),
  adminAbort: (d, ctx, a) => abortAdminAction(d, ctx, a.id),
  search: (d, ctx, a) => searchProducts(d, ctx, a.word, a.page),
  stuckPage: (d, ctx, a) => stuckButtons.page(d, ctx, a.page),
  stuckRedeliver: (d, ctx, a) => stuckButtons.redeliver(d, ctx, a.invoiceId),
  stuckPakasir: (d, ctx, a) => stuckButtons.pakasir(d, ctx, a.invoiceId),
  warrantyClaim: (d, ctx, a) => askProblem(d, ctx, a.invoiceId),
  warrantyReplace: (d, ctx, a) => decideClaim(d, ctx, a.claimId, 'replace'),
  warrantyRefund: (d, ctx, a) => decideClaim(d, ctx, a.claimId, 'refund'),
  warrantyReject: (d, ctx, a) => askRejectReason(d, ctx, a.claimId),
  language: (d, ctx) => showLanguages(d, ctx),
  setLanguage: (d, ctx, a) => chooseLanguage(d, ctx, a.language),
};

/**
 * The reply keyboard's fixed buttons (§2.2), by their label in every language: a keyboard sent before a
 * change of language still works. Number buttons arrive as plain numbers.
 */
const KEYS: Record<string, (d: BotDeps, ctx: ShopContext) => Promise<unknown>> = Object.fromEntries(
  LANGUAGES.flatMap((language) => {
    const b = copyIn(language).buttons;
    return [
      [b.listProducts, (d: BotDeps, ctx: ShopContext) => showAllProducts(d, ctx, 1)],
      [b.stock, (d: BotDeps, ctx: ShopContext) => showStock(d, ctx)],
      [b.account, (d: BotDeps, ctx: ShopContext) => showAccount(d, ctx)],
      [b.contact, (d: BotDeps, ctx: ShopContext) => askContactMessage(d, ctx)],
    ];
  }),
);

/**
 * What a typed text answers, by the step the session awaits (§2.1, §2.9–2.11, §3.3): the multi-step
 * input's table, as BUTTONS is the buttons'. A step missing here takes no text (the contact message's
 * photo goes through the photo handler).
 */
const TYPED: {
  [K in Awaiting]: (d: BotDeps, ctx: ShopContext, typed: string, message: TextMessage) => Promise<void>;
} = {
  onboard_name: (d, ctx, typed) => answerStep(d, ctx, 'onboard_name', typed),
  onboard_whatsapp: (d, ctx, typed) => answerStep(d, ctx, 'onboard_whatsapp', typed),
  onboard_email: (d, ctx, typed) => answerStep(d, ctx, 'onboard_email', typed),
  edit_name: (d, ctx, typed) => saveEdit(d, ctx, 'name', typed),
  edit_email: (d, ctx, typed) => saveEdit(d, ctx, 'email', typed),
  edit_whatsapp: (d, ctx, typed) => saveEdit(d, ctx, 'whatsapp', typed),
  deposit_amount: (d, ctx, typed) => deposit(d, ctx, parseDepositAmount(typed)),
  voucher_code: (d, ctx, typed) => applyVoucher(d, ctx, typed),
  contact_message: (d, ctx, _typed, message) => forwardToAdmins(d, ctx, message),
  warranty_problem: (d, ctx, _typed, message) => submitClaim(d, ctx, message),
  warranty_reject_reason: (d, ctx, typed) => rejectWithReason(d, ctx, typed),
};

const UNCOUNTED: GatewayMetrics = { telegramCall: () => {}, update: () => {} };

export function createBot(token: string, apiRoot: string, d: BotDeps): Telegraf<ShopContext> {
  // telegraf drops a path in apiRoot unless it ends in "/" (docs/operations.md §11.1).
  const bot = new Telegraf<ShopContext>(token, {
    telegram: { apiRoot: apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`, webhookReply: false },
  });
  // The one error boundary: every handler error is logged with its update and the person is answered
  // (a button's spinner stopped with an alert), whatever the handler had done before it failed. An
  // outage (a service unreachable, Telegram's 5xx) goes back to the inbox, which tries the update again
  // and, after its last try, puts it with the dead letters (inbox/inbox.ts).
  const failed = async (error: unknown, ctx: ShopContext): Promise<void> => {
    // Telegram held a reply back for longer than the update may wait here (retry-after.ts): the whole
    // update runs again after that time, its chat's later updates behind it (inbox/inbox.ts). A reply
    // sent through the notifier (the QR, flows/qr-reply.ts) says so in the notifier's terms; it is sent
    // once by its key when the update runs again.
    const later = telegramWaitOf(error) ?? notifierWaitOf(error);
    if (later !== undefined) {
      await answer(ctx); // the spinner stops now; the answer itself comes when the update runs again
      throw new DeferUpdate(Date.now() + later * 1000, 'telegram asked to wait');
    }
    const outage = worthTryingAgain(error);
    if (outage && !isLastTry(ctx.update)) throw error;
    d.logger.error('update failed', {
      updateId: ctx.update.update_id,
      userId: ctx.from?.id,
      updateType: ctx.updateType,
      error,
    });
    markFailed(ctx.update);
    const { text } = copyOf(ctx);
    if (ctx.callbackQuery) await answer(ctx, text.tryAgain, true);
    else await ctx.reply(text.tryAgain).catch(() => undefined);
    if (outage) throw error;
  };
  bot.catch(failed);
  const metrics = d.metrics ?? UNCOUNTED;
  sendPlainJsonDirectly(bot.telegram);
  countTelegramCalls(bot.telegram, metrics);
  const pace = new ChatPace(d.kv, d.config.TELEGRAM_GROUP_MESSAGES_PER_MINUTE);
  honourRetryAfter(bot.telegram, d.logger, RETRY_AFTER_POLICY, pace);
  // One chat's updates come one at a time, in order, from the inbox (inbox/inbox.ts): no queue here. The
  // update's correlation id and its count are the inbox consumer's (metrics.ts correlatedAndCounted);
  // each update's own Telegram client is counted first, so a 429 waited out below counts as two calls.
  bot.use(
    sendPlainJsonDirectlyOnEveryUpdate(),
    countCallsOfEachUpdate(metrics),
    retryAfterOnEveryCall(d.logger, pace),
    answerPressesInTime(),
    rateLimit(d),
    loadUser(d),
  );
  // Groups get the admin reply relay only (groups.ts): after the flood counters, before any handler.
  bot.use(groupChats(d));

  // Commands first: any command works at any moment and starts its own flow.
  const refundCommand = (ctx: ShopContext) => refund(d, ctx, (ctx as { payload?: string }).payload ?? '');
  const commands: Record<string, (ctx: ShopContext) => Promise<unknown>> = {
    start: async (ctx) => {
      await startCommand(d, ctx);
      if (ctx.shop.user.isAdmin) await refreshAdminMenu(d, ctx);
    },
    help,
    order: howToOrder,
    stock: (ctx) => showStock(d, ctx),
    refund: refundCommand,
    reff: refundCommand,
    skip: help,
  };
  // One middleware for all of them (and one for the admins'): every update walks the whole chain, and a
  // press walking one middleware per command cost the gateway measurable CPU and garbage.
  bot.command(Object.keys(commands), async (ctx) => {
    const { awaiting } = ctx.session.get();
    if (ctx.command === 'skip' && isOnboarding(awaiting)) return skipStep(d, ctx, awaiting);
    await ctx.session.expect(undefined);
    await commands[ctx.command]!(ctx);
  });
  registerAdminCommands(bot, d);

  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const action = data ? decode(data) : undefined;
    if (!action) return answer(ctx, copyOf(ctx).text.staleButton);
    await (BUTTONS[action.kind] as Handler)(d, ctx, action as never);
    await answer(ctx);
  });

  bot.on('photo', async (ctx) => {
    if (await relayAdminReply(d, ctx)) return;
    const { awaiting } = ctx.session.get();
    if (awaiting === 'contact_message') return forwardToAdmins(d, ctx, ctx.message);
    if (awaiting === 'warranty_problem') return submitClaim(d, ctx, ctx.message);
    await ctx.reply(copyOf(ctx).text.unknown);
  });

  bot.on('text', async (ctx) => {
    const typed = ctx.message.text.trim();
    if (await relayAdminReply(d, ctx)) return;
    const key = KEYS[typed];
    if (key) return void (await key(d, ctx));
    const { awaiting } = ctx.session.get();
    // A session written by an older version may await a step this one no longer has: then no step.
    const step = awaiting ? (TYPED[awaiting] as (typeof TYPED)[Awaiting] | undefined) : undefined;
    if (step) return step(d, ctx, typed, ctx.message);
    // A number opens that product (§2.4); a word searches the catalog (§2.3); anything else is not understood.
    if (/^\d{1,9}$/.test(typed)) return showProduct(d, ctx, Number(typed));
    const word = searchWord(typed);
    if (word) return searchProducts(d, ctx, word, 1);
    await ctx.reply(copyOf(ctx).text.unknown);
  });
  return bot;
}
