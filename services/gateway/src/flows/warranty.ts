import { Conflict, NotFound } from '@quickcart/kit';
import {
  ORDERS_REFUSAL,
  WARRANTY_PROBLEM_MAX,
  WARRANTY_REASON_MAX,
  type WarrantyDecisionBody,
} from '@quickcart/orders/contract';
import type { Message } from 'telegraf/types';
import { actor } from '../admin/command';
import { answer, copyOf, type BotDeps, type ShopContext } from '../context';
import type { Copy } from '../copy/languages';

/**
 * Warranty claims (docs/features.md §2.9.1). The customer: "🛡️ Klaim Garansi" in the order history, then
 * the problem as text or a captioned photo. The admins: 🔁 Ganti, 💸 Refund, ❌ Tolak (which asks for a
 * reason) under the claim. Orders and the claim's workflow own every rule; this only asks and words, in
 * the language of whoever pressed or typed (the claim's outcome reaches the customer in theirs, by /notify).
 */

export async function askProblem(d: BotDeps, ctx: ShopContext, invoiceId: string): Promise<void> {
  await answer(ctx);
  await ctx.session.update((s) => ({
    ...s,
    awaiting: 'warranty_problem',
    warrantyFor: invoiceId,
  }));
  await ctx.reply(copyOf(ctx).text.warrantyAsk(invoiceId), { parse_mode: 'HTML' });
}

/** The problem as typed, or a photo's caption with the photo's largest size. */
export async function submitClaim(
  d: BotDeps,
  ctx: ShopContext,
  message: Message.TextMessage | Message.PhotoMessage,
): Promise<void> {
  const { text } = copyOf(ctx);
  const { warrantyFor } = ctx.session.get();
  if (!warrantyFor) return void (await ctx.reply(text.unknown));
  const photo = 'photo' in message ? message.photo.at(-1)?.file_id : undefined;
  const problem = ('text' in message ? message.text : (message.caption ?? '')).trim();
  if (problem === '') return void (await ctx.reply(text.warrantyNeedsText));
  if (problem.length > WARRANTY_PROBLEM_MAX) return void (await ctx.reply(text.warrantyTooLong));
  const userId = ctx.shop.user.id;
  try {
    const { claim, created } = await d.orders.openWarrantyClaim({
      userId,
      invoiceId: warrantyFor,
      problem,
      ...(photo ? { photoFileId: photo } : {}),
    });
    await ctx.session.update((s) => ({ ...s, awaiting: undefined, warrantyFor: undefined }));
    const reply = created ? text.warrantySent(claim.id) : text.warrantyAlreadyOpen(claim.id);
    await ctx.reply(reply, { parse_mode: 'HTML' });
  } catch (error) {
    const refusal = claimRefusal(text, error, warrantyFor);
    if (!refusal) throw error;
    await ctx.session.update((s) => ({ ...s, awaiting: undefined, warrantyFor: undefined }));
    await ctx.reply(refusal);
  }
}

function claimRefusal(text: Copy['text'], error: unknown, invoiceId: string): string | undefined {
  if (error instanceof Conflict && error.reason === ORDERS_REFUSAL.warrantyExpired)
    return text.warrantyExpired(invoiceId);
  if (error instanceof NotFound || (error instanceof Conflict && error.reason === ORDERS_REFUSAL.notPaid))
    return text.warrantyNotClaimable(invoiceId);
  return undefined;
}

/** An admin's 🔁 or 💸: the claim's workflow takes the first decision; a repeat is told which one holds. */
export async function decideClaim(
  d: BotDeps,
  ctx: ShopContext,
  claimId: string,
  decision: 'replace' | 'refund',
): Promise<void> {
  if (!ctx.shop.user.isAdmin) return answer(ctx);
  await answer(ctx);
  await sendDecision(d, ctx, claimId, { decision, actor: actor(ctx) });
}

/** ❌ Tolak: the reason is typed next, and goes to the customer. */
export async function askRejectReason(d: BotDeps, ctx: ShopContext, claimId: string): Promise<void> {
  if (!ctx.shop.user.isAdmin) return answer(ctx);
  await answer(ctx);
  await ctx.session.update((s) => ({
    ...s,
    awaiting: 'warranty_reject_reason',
    rejectClaim: claimId,
  }));
  await ctx.reply(copyOf(ctx).adminText.warrantyAskReason(claimId));
}

export async function rejectWithReason(d: BotDeps, ctx: ShopContext, typed: string): Promise<void> {
  const { text, adminText: t } = copyOf(ctx);
  const { rejectClaim } = ctx.session.get();
  if (!rejectClaim || !ctx.shop.user.isAdmin) return void (await ctx.reply(text.unknown));
  if (typed.length > WARRANTY_REASON_MAX) return void (await ctx.reply(t.warrantyReasonTooLong));
  await sendDecision(d, ctx, rejectClaim, { decision: 'reject', actor: actor(ctx), reason: typed });
  await ctx.session.update((s) => ({ ...s, awaiting: undefined, rejectClaim: undefined }));
}

async function sendDecision(d: BotDeps, ctx: ShopContext, claimId: string, decision: WarrantyDecisionBody) {
  const answered = await d.orders.decideWarrantyClaim(claimId, decision);
  const t = copyOf(ctx).adminText;
  await ctx.reply(
    answered.accepted
      ? t.warrantyDecided(claimId, answered.decision)
      : t.warrantyAlreadyDecided(claimId, answered.decision),
  );
}
