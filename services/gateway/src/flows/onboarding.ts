import { Conflict, Invalid } from '@quickcart/kit';
import { copyOf, languageOf, type BotDeps, type ShopContext } from '../context';
import { skipKeyboard } from '../keyboards';
import type { Awaiting } from '../session/sessions';
import { showMainMenu } from './menu';

/** §2.1: name, WhatsApp, email, one at a time, each skippable; then the main menu. */
const STEPS = ['onboard_name', 'onboard_whatsapp', 'onboard_email'] as const;
type Step = (typeof STEPS)[number];
const PROMPT = {
  onboard_name: 'askName',
  onboard_whatsapp: 'askWhatsapp',
  onboard_email: 'askEmail',
} as const;
const BAD = { onboard_name: 'badName', onboard_whatsapp: 'badWhatsapp', onboard_email: 'badEmail' } as const;
const FIELD = { onboard_name: 'name', onboard_whatsapp: 'whatsapp', onboard_email: 'email' } as const;

export const isOnboarding = (a: Awaiting | undefined): a is Step => STEPS.includes(a as Step);

export async function startCommand(d: BotDeps, ctx: ShopContext): Promise<void> {
  await ctx.replyWithSticker(d.config.WELCOME_STICKER).catch(() => undefined); // a missing sticker must not stop /start
  if (ctx.shop.isNew) return ask(d, ctx, 'onboard_name');
  await showMainMenu(d, ctx, true);
}

async function ask(d: BotDeps, ctx: ShopContext, step: Step): Promise<void> {
  await ctx.session.expect(step);
  await ctx.reply(copyOf(ctx).text[PROMPT[step]], skipKeyboard(languageOf(ctx)));
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
  const { text } = copyOf(ctx);
  try {
    await d.orders.updateProfile(ctx.shop.user.id, { [FIELD[step]]: value.trim() });
  } catch (error) {
    if (error instanceof Conflict)
      return void (await ctx.reply(text.emailTaken, skipKeyboard(languageOf(ctx))));
    if (!(error instanceof Invalid)) throw error;
    return void (await ctx.reply(text[BAD[step]], skipKeyboard(languageOf(ctx))));
  }
  await next(d, ctx, step);
}
