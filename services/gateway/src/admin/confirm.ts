import { createHash } from 'node:crypto';
import { answer, requestKey, respond, type BotDeps, type ShopContext } from '../context';
import { esc } from '../format';
import { btn, inline } from '../keyboards';
import { adminCopy as t, type AdminCommand } from './command';
import { CONFIRM_WINDOW_MS, PendingActions, type Claim } from './pending-actions';

const MINUTES = CONFIRM_WINDOW_MS / 60_000;

/**
 * A money command typed by an admin: the preview with ✅/❌, its action stored under the preview's id.
 * The id comes from the typed update's request key, so the same update handed over again shows the same
 * preview (one action), while a command typed again is a new update: a second preview, nothing done.
 */
export async function askConfirmation(
  d: BotDeps,
  ctx: ShopContext,
  command: AdminCommand<unknown>,
  args: unknown,
): Promise<void> {
  const preview = await command.confirm!.preview(d, ctx, args);
  const id = createHash('sha256')
    .update(requestKey(ctx, `admin-${command.name}`))
    .digest('base64url')
    .slice(0, 22);
  await new PendingActions(d.kv).propose(id, { command: command.name, args, adminId: ctx.shop.user.id });
  await ctx.reply(t(ctx).confirmAsk(preview, MINUTES), {
    parse_mode: 'HTML',
    ...inline([
      [
        btn(t(ctx).confirmButton, { kind: 'adminConfirm', id }),
        btn(t(ctx).abortButton, { kind: 'adminAbort', id }),
      ],
    ]),
  });
}

/**
 * "✅ Jalankan": runs the action once, whoever presses how often (the store lets one press run it; the
 * services key the change by the preview), and turns the preview into the result. A refusal (the user
 * gone since) is the result too; a failure (a service down) leaves the preview to be pressed again.
 */
export async function confirmAction(
  d: BotDeps,
  ctx: ShopContext,
  id: string,
  commands: AdminCommand<unknown>[],
  explain: (ctx: ShopContext, error: unknown) => string | undefined,
): Promise<void> {
  if (!ctx.shop.user.isAdmin) return answer(ctx); // demoted since the preview: nothing happens
  const pending = new PendingActions(d.kv);
  const claim = await pending.claim(id, ctx.shop.user.id);
  if (claim.outcome !== 'run') return showClaim(ctx, claim);
  const { action } = claim;
  const apply = commands.find((c) => c.name === action.command)?.confirm?.apply;
  if (!apply) return showClaim(ctx, { outcome: 'unknown' }); // a command a newer version no longer confirms
  let result;
  try {
    // The admin's id in the key too: the audit's reference then says whose preview it was.
    result = await apply(d, ctx, action.args, `${action.command}:${action.adminId}:${id}`);
  } catch (error) {
    const explained = explain(ctx, error);
    if (explained === undefined) {
      await pending.release(id);
      throw error;
    }
    result = { text: esc(explained) };
  }
  await pending.finish(id, result);
  await respond(ctx, result.text);
}

/** A press that does not run the action: why not, or the result of the press that did. */
async function showClaim(ctx: ShopContext, claim: Exclude<Claim, { outcome: 'run' }>): Promise<void> {
  if (claim.outcome === 'running') return answer(ctx, t(ctx).actionRunning);
  if (claim.outcome === 'cancelled') return respond(ctx, t(ctx).actionAborted);
  if (claim.outcome === 'done') {
    await answer(ctx, t(ctx).actionAlreadyDone);
    return respond(ctx, claim.result.text);
  }
  await respond(ctx, t(ctx).actionExpired(MINUTES)); // expired, or gone from the store (a day later)
}

/** "❌ Batal": a preview still waiting is cancelled; one already run shows its result. */
export async function abortAction(d: BotDeps, ctx: ShopContext, id: string): Promise<void> {
  if (!ctx.shop.user.isAdmin) return answer(ctx);
  await showClaim(ctx, await new PendingActions(d.kv).cancel(id, ctx.shop.user.id));
}
