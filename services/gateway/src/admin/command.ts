import { parseRupiah } from '@quickcart/kit';
import { copyOf, type BotDeps, type ShopContext } from '../context';
import { copyIn, type Copy, type Language } from '../copy/languages';
import type { ActionResult } from './pending-actions';

/**
 * An admin command (docs/features.md §3.2): arguments separated by `|`; a wrong or missing argument gets
 * "Format salah. Contoh penggunaan yang benar:" with the format and an example; a non-admin gets nothing.
 */
export interface AdminCommand<A> {
  /** Its format and example are the copy's `usage[name]`, in the admin's language. */
  name: CommandName;
  /** Undefined when the arguments do not fit the format. */
  parse: (args: string[], raw: string, ctx: ShopContext) => A | undefined;
  /** What the command does; a command with `confirm` has none of its own. */
  run?: (d: BotDeps, ctx: ShopContext, args: A) => Promise<void>;
  /**
   * A money command (docs/features.md §3.2): typed, it only shows `preview` (HTML) with ✅/❌; ✅ runs
   * `apply` with the preview's key, which names the change to the services so it lands once.
   */
  confirm?: {
    preview: (d: BotDeps, ctx: ShopContext, args: A) => Promise<string>;
    apply: (d: BotDeps, ctx: ShopContext, args: A, key: string) => Promise<ActionResult>;
  };
  /**
   * Whose command menu changes once the command succeeded, and whether it is an admin's: /addadmin and
   * /rmadmin (the target's), /lang (the admin's own, now in the other language).
   */
  changesMenu?: (args: A, ctx: ShopContext) => { userId: number; admin: boolean };
}

/** Who an admin change is for, on the audit record: the admin's Telegram id. */
export const actor = (ctx: ShopContext) => String(ctx.shop.user.id);

export const defineCommand = <A>(c: AdminCommand<A>) => c as AdminCommand<unknown>;

export type CommandName = keyof Copy['usage'];

/** A command's format and example in one language: the reply to a wrong format, and the command menu. */
export const usageOf = (language: Language, c: Pick<AdminCommand<unknown>, 'name'>) =>
  copyIn(language).usage[c.name];

/** "Format salah…" with the command's format and example, in the language of the admin who typed it. */
export const formatError = (ctx: ShopContext, c: Pick<AdminCommand<unknown>, 'name'>) =>
  copyOf(ctx).adminText.formatError(copyOf(ctx).usage[c.name]);

/** `/cmd a|b|c` → ['a','b','c'] (trimmed); the raw text after the command is kept for multi-line ones. */
export function splitArgs(payload: string): string[] {
  return payload.trim() === '' ? [] : payload.split('|').map((a) => a.trim());
}

// ---- argument readers: undefined means "does not fit" ----

export const positiveInt = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : undefined;

/** Telegram user ids run past 10 digits (and past 32 bits): up to 15 digits, a safe integer. */
export const telegramId = (s: string | undefined): number | undefined =>
  s !== undefined && /^\d{1,15}$/.test(s) && Number(s) > 0 && Number.isSafeInteger(Number(s))
    ? Number(s)
    : undefined;

export const signedInt = (s: string | undefined): number | undefined =>
  s !== undefined && /^-?\d{1,9}$/.test(s) ? Number(s) : undefined;

/** Rupiah as typed ("50000", "50.000", "Rp50.000"): up to 12 digits, room for any price or balance. */
export const rupiahArg = (s: string | undefined): number | undefined =>
  s === undefined ? undefined : parseRupiah(s, 12);

/** "10%" is percent (0–100); "5000" is nominal rupiah; "0" clears. */
export const discountArg = (
  s: string | undefined,
): { type: 'percent' | 'nominal'; value: number } | undefined => {
  if (s === undefined) return undefined;
  const percent = /^(\d{1,3})%$/.exec(s);
  if (percent) return Number(percent[1]) <= 100 ? { type: 'percent', value: Number(percent[1]) } : undefined;
  const nominal = rupiahArg(s);
  return nominal === undefined ? undefined : { type: 'nominal', value: nominal };
};

/** "-" or empty means "use the default". */
export const orDefault = (s: string | undefined): string | undefined =>
  s === undefined || s === '' || s === '-' ? undefined : s;

/** The admin texts in the language of the admin this update is from. */
export const adminCopy = (ctx: ShopContext) => copyOf(ctx).adminText;
