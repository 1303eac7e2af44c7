import { LANGUAGES } from '@quickcart/orders/contract';
import { z } from 'zod';

/**
 * Callback data: a small typed codec, never string concatenation scattered across files.
 * Buttons carry what they need (product, quantity, page, invoice), so a button from an old message
 * still works when its data still makes sense. Always under Telegram's 64-byte limit.
 */
const int = z.coerce.number().int().nonnegative();
const inv = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
/** An admin action's preview (admin/pending-actions.ts): the action itself is stored, not carried. */
const previewId = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/);
/** A warranty claim: `warranty-<invoiceId>-<n>` (orders' contract). */
const claim = z.string().regex(/^warranty-[A-Za-z0-9_-]{1,40}-\d{1,4}$/);

export const actions = {
  menu: z.object({}),
  categories: z.object({}),
  category: z.object({ name: z.string().min(1), page: int }),
  all: z.object({ page: int }),
  best: z.object({}),
  topBuyers: z.object({}),
  product: z.object({ productId: int }),
  qty: z.object({ productId: int, qty: int }),
  summary: z.object({ productId: int, qty: int }),
  payQris: z.object({ productId: int, qty: int }),
  askSaldo: z.object({ productId: int, qty: int }),
  paySaldo: z.object({ productId: int, qty: int }),
  cancelFlow: z.object({}),
  payStatus: z.object({ invoiceId: inv }),
  cancelInvoice: z.object({ invoiceId: inv }),
  account: z.object({}),
  edit: z.object({ field: z.enum(['name', 'email', 'whatsapp']) }),
  history: z.object({ page: int }),
  deposit: z.object({}),
  depositAmount: z.object({ amount: int }),
  depositOther: z.object({}),
  skip: z.object({}),
  voucher: z.object({ productId: int, qty: int }),
  broadcastStatus: z.object({ id: inv }),
  broadcastCancel: z.object({ id: inv }),
  adminConfirm: z.object({ id: previewId }),
  adminAbort: z.object({ id: previewId }),
  // The word last: a search's pages carry it (flows/search.ts keeps it free of the separator).
  search: z.object({ page: int, word: z.string().min(1) }),
  stuckPage: z.object({ page: int }),
  stuckRedeliver: z.object({ invoiceId: inv }),
  stuckPakasir: z.object({ invoiceId: inv }),
  warrantyClaim: z.object({ invoiceId: inv }),
  warrantyReplace: z.object({ claimId: claim }),
  warrantyRefund: z.object({ claimId: claim }),
  warrantyReject: z.object({ claimId: claim }),
  language: z.object({}),
  setLanguage: z.object({ language: z.enum(LANGUAGES) }),
} as const;

// zod types an empty object as Record<string, never>; such an action has no fields at all.
type Fields<T> = string extends keyof T ? unknown : T;
export type Action = {
  [K in keyof typeof actions]: { kind: K } & Fields<z.infer<(typeof actions)[K]>>;
}[keyof typeof actions];

// Short wire names keep the data small; the order of fields is the order of the schema's keys.
const WIRE: Record<Action['kind'], string> = {
  menu: 'm',
  categories: 'c',
  category: 'cp',
  all: 'a',
  best: 'b',
  topBuyers: 'tb',
  product: 'p',
  qty: 'q',
  summary: 's',
  payQris: 'pq',
  askSaldo: 'as',
  paySaldo: 'ps',
  cancelFlow: 'x',
  payStatus: 'st',
  cancelInvoice: 'ci',
  account: 'ac',
  edit: 'e',
  history: 'h',
  deposit: 'd',
  depositAmount: 'da',
  depositOther: 'do',
  skip: 'k',
  voucher: 'v',
  broadcastStatus: 'bs',
  broadcastCancel: 'bx',
  adminConfirm: 'ay',
  adminAbort: 'an',
  search: 'sr',
  stuckPage: 'sp',
  stuckRedeliver: 'sd',
  stuckPakasir: 'sk',
  warrantyClaim: 'wc',
  warrantyReplace: 'wg',
  warrantyRefund: 'wf',
  warrantyReject: 'wt',
  language: 'l',
  setLanguage: 'sl',
};
const KIND = Object.fromEntries(Object.entries(WIRE).map(([k, w]) => [w, k])) as Record<
  string,
  Action['kind']
>;

export function encode(action: Action): string {
  const { kind, ...fields } = action;
  const keys = Object.keys(actions[kind].shape);
  const data = [WIRE[kind], ...keys.map((k) => String((fields as Record<string, unknown>)[k]))].join('|');
  if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
  return data;
}

/** Undefined for data this bot never made (or made by an older version it no longer understands). */
export function decode(data: string): Action | undefined {
  const [wire, ...values] = data.split('|');
  const kind = KIND[wire];
  if (!kind) return undefined;
  const schema = actions[kind];
  const keys = Object.keys(schema.shape);
  if (values.length !== keys.length) return undefined;
  const parsed = schema.safeParse(Object.fromEntries(keys.map((k, i) => [k, values[i]])));
  return parsed.success ? ({ kind, ...parsed.data } as Action) : undefined;
}

/** Category names can be long; a button only carries one that fits, else the list is shown again. */
export const fitsCallback = (action: Action): boolean => {
  try {
    encode(action);
    return true;
  } catch {
    return false;
  }
};
