import { parseRupiah } from '@quickcart/kit';
import { adminText } from '../copy/admin';
import type { BotDeps, ShopContext } from '../context';
import type { ActionResult } from './pending-actions';

/**
 * An admin command (docs/features.md §3.2): arguments separated by `|`; a wrong or missing argument gets
 * "Format salah. Contoh penggunaan yang benar:" with the format and an example; a non-admin gets nothing.
 */
export interface AdminCommand<A> {
  name: string;
  format: string;
  example: string;
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
  /** For /addadmin and /rmadmin: whose command menu changes, once the command succeeded. */
  changesAdmin?: (args: A) => { userId: number; admin: boolean };
}

/** Who an admin change is for, on the audit record: the admin's Telegram id. */
export const actor = (ctx: ShopContext) => String(ctx.shop.user.id);

export const defineCommand = <A>(c: AdminCommand<A>) => c as AdminCommand<unknown>;

export const formatError = (c: Pick<AdminCommand<unknown>, 'format' | 'example'>) => adminText.formatError(c);

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
