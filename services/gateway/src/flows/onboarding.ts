import { Conflict, Invalid } from '@quickcart/kit';
import type { BotDeps, ShopContext } from '../context';
import { skipKeyboard } from '../keyboards';
import { text } from '../copy/customer';
import type { Awaiting } from '../session/sessions';
import { showMainMenu } from './menu';

/** §2.1: name, WhatsApp, email, one at a time, each skippable; then the main menu. */
const STEPS = ['onboard_name', 'onboard_whatsapp', 'onboard_email'] as const;
type Step = (typeof STEPS)[number];
const PROMPT: Record<Step, string> = {
  onboard_name: text.askName,
  onboard_whatsapp: text.askWhatsapp,
  onboard_email: text.askEmail,
};
const FIELD = { onboard_name: 'name', onboard_whatsapp: 'whatsapp', onboard_email: 'email' } as const;

export const isOnboarding = (a: Awaiting | undefined): a is Step => STEPS.includes(a as Step);

export async function startCommand(d: BotDeps, ctx: ShopContext): Promise<void> {
  await ctx.replyWithSticker(d.config.WELCOME_STICKER).catch(() => undefined); // a missing sticker must not stop /start
  if (ctx.shop.isNew) return ask(d, ctx, 'onboard_name');
  await showMainMenu(d, ctx, true);
}

async function ask(d: BotDeps, ctx: ShopContext, step: Step): Promise<void> {
  await d.sessions.expect(ctx.shop.user.id, step);
  await ctx.reply(PROMPT[step], skipKeyboard());
}

async function next(d: BotDeps, ctx: ShopContext, step: Step): Promise<void> {
  const following = STEPS[STEPS.indexOf(step) + 1];
  if (following) await ask(d, ctx, following);
  else await showMainMenu(d, ctx, true);
}

/** "Lewati" or /skip: the default stays (name Anonymous, no WhatsApp, no email). */
export async function skipStep(d: BotDeps, ctx: ShopContext, step: Step): Promise<void> {
  await next(d, ctx, step);
}

/** A typed answer: saved through orders (which owns the rules), or refused with the reason and asked again. */
export async function answerStep(d: BotDeps, ctx: ShopContext, step: Step, value: string): Promise<void> {
  try {
    await d.orders.updateProfile(ctx.shop.user.id, { [FIELD[step]]: value.trim() });
  } catch (error) {
    if (error instanceof Conflict) return void (await ctx.reply(text.emailTaken, skipKeyboard()));
    if (!(error instanceof Invalid)) throw error;
    const reason = {
      onboard_name: text.badName,
      onboard_whatsapp: text.badWhatsapp,
      onboard_email: text.badEmail,
    }[step];
    return void (await ctx.reply(reason, skipKeyboard()));
  }
  await next(d, ctx, step);
}
