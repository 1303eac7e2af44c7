import { Conflict, Invalid } from '@quickcart/kit';
import { ORDERS_REFUSAL, STUCK_PAGE_SIZE, type Order, type StuckOrders } from '@quickcart/orders/contract';
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { answer, languageOf, respond, type BotDeps, type ShopContext } from '../context';
import { btn, inline, pager } from '../keyboards';
import { actor, adminCopy as t, defineCommand, positiveInt } from './command';

/** The Web UI filtered by the invoice (docs/operations.md §4); undefined without TEMPORAL_UI_URL. */
function webUiLink(d: BotDeps, invoiceId: string): string | undefined {
  const base = d.config.TEMPORAL_UI_URL;
  if (!base) return undefined;
  const query = encodeURIComponent(`InvoiceId = '${invoiceId}'`);
  return `${base.replace(/\/$/, '')}/namespaces/${encodeURIComponent(d.config.TEMPORAL_NAMESPACE)}/workflows?query=${query}`;
}

/** One row a stuck order: what can be done about it, numbered as its line in the list. */
function orderButtons(
  d: BotDeps,
  ctx: ShopContext,
  n: number,
  reason: string,
  o: Order,
): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  if (reason === 'delivery_failed')
    row.push(btn(t(ctx).redeliverButton(n), { kind: 'stuckRedeliver', invoiceId: o.invoiceId }));
  else if (o.paymentMethod === 'qris')
    row.push(btn(t(ctx).pakasirButton(n), { kind: 'stuckPakasir', invoiceId: o.invoiceId }));
  const link = webUiLink(d, o.invoiceId);
  if (link) row.push(Markup.button.url(t(ctx).webUiButton(n), link));
  return row;
}

function stuckScreen(d: BotDeps, ctx: ShopContext, s: StuckOrders) {
  if (s.totalItems === 0)
    return {
      html: [t(ctx).stuckNone, ...(s.temporalUnavailable ? [t(ctx).stuckTemporalDown] : [])].join('\n\n'),
    };
  const first = (s.page - 1) * STUCK_PAGE_SIZE + 1;
  const lines = s.items.map((it, i) =>
    t(ctx).stuckLine(first + i, it.reason, it.order, !d.config.TEMPORAL_UI_URL),
  );
  const html = [
    t(ctx).stuckTitle(s),
    ...(s.temporalUnavailable ? [t(ctx).stuckTemporalDown] : []),
    lines.join('\n\n'),
  ].join('\n\n');
  const rows = s.items.map((it, i) => orderButtons(d, ctx, first + i, it.reason, it.order));
  const [nav] = pager(languageOf(ctx), s.page, s.totalPages, (page) => ({ kind: 'stuckPage', page }));
  return { html, extra: inline([...rows, nav]) };
}

async function showStuck(d: BotDeps, ctx: ShopContext, page: number) {
  const screen = stuckScreen(d, ctx, await d.orders.stuckOrders(page));
  await respond(ctx, screen.html, screen.extra ?? {});
}

/**
 * /stuck (docs/features.md §3.2): orders in delivery_failed, payment_unknown or past their window,
 * oldest first, each with what an admin can do from the bot; orders audits every action.
 */
export const stuckCommand = defineCommand({
  name: 'stuck',
  parse: ([page, ...rest]) => {
    if (rest.length > 0) return undefined;
    const n = page === undefined ? 1 : positiveInt(page);
    return n === undefined ? undefined : { page: n };
  },
  run: (d, ctx, a) => showStuck(d, ctx, a.page),
});

/** The list's buttons; a non-admin pressing one (a forwarded message) gets nothing. */
export const stuckButtons = {
  page: async (d: BotDeps, ctx: ShopContext, page: number) => {
    if (!ctx.shop.user.isAdmin) return answer(ctx);
    await showStuck(d, ctx, page);
  },
  redeliver: async (d: BotDeps, ctx: ShopContext, invoiceId: string) => {
    if (!ctx.shop.user.isAdmin) return answer(ctx);
    try {
      await d.orders.redeliver(invoiceId, actor(ctx));
    } catch (error) {
      if (!(error instanceof Conflict && error.reason === ORDERS_REFUSAL.notRedeliverable)) throw error;
      return void (await ctx.reply(t(ctx).notRedeliverable(invoiceId)));
    }
    await ctx.reply(t(ctx).redeliverAsked(invoiceId));
  },
  pakasir: async (d: BotDeps, ctx: ShopContext, invoiceId: string) => {
    if (!ctx.shop.user.isAdmin) return answer(ctx);
    // Pakasir may take seconds: the press is answered now, the answer follows as a message.
    await answer(ctx);
    try {
      await ctx.reply(t(ctx).pakasirAnswer(await d.orders.askPakasir(invoiceId, actor(ctx))), {
        parse_mode: 'HTML',
      });
    } catch (error) {
      if (!(error instanceof Invalid && error.reason === ORDERS_REFUSAL.notQris)) throw error;
      await ctx.reply(t(ctx).notQris(invoiceId));
    }
  },
};
