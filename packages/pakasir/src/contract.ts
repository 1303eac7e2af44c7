import { rupiah } from '@quickcart/kit';
import { z } from 'zod';

/**
 * Pakasir's wire format (docs/features.md §6), snake_case as sent, turned into camelCase for our code.
 * Amounts are whole rupiah; some gateways send numbers as strings ("30000"), so both are accepted.
 */
export const wireRupiah = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+(\.0+)?$/, 'must be a whole number'),
  ])
  .transform(Number)
  .pipe(rupiah);

/** Pakasir's timestamps may carry nanoseconds or an offset; we keep one shape: ISO-8601 in UTC. */
const timestamp = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a date-time')
  .transform((s) => new Date(s).toISOString());

/** `completed` is the only status that means paid; others seen: pending, canceled/cancelled, expired. */
export const PAID_STATUS = 'completed';
export const isPaid = (status: string): boolean => status === PAID_STATUS;

export const createQrisAnswer = z
  .object({
    payment: z.object({
      project: z.string(),
      order_id: z.string(),
      amount: wireRupiah,
      fee: wireRupiah,
      total_payment: wireRupiah,
      payment_method: z.string(),
      payment_number: z.string().min(1),
      expired_at: timestamp,
    }),
  })
  .transform(({ payment: p }) => ({
    project: p.project,
    orderId: p.order_id,
    amount: p.amount,
    fee: p.fee,
    totalPayment: p.total_payment,
    paymentMethod: p.payment_method,
    /** The QRIS string to render as a QR code. */
    paymentNumber: p.payment_number,
    expiredAt: p.expired_at,
  }));
export type PakasirPayment = z.output<typeof createQrisAnswer>;

export const detailAnswer = z
  .object({
    transaction: z.object({
      amount: wireRupiah,
      order_id: z.string(),
      project: z.string(),
      status: z.string(),
      payment_method: z.string().nullish(),
      completed_at: timestamp.nullish(),
      /**
       * Not in Pakasir's documented detail (docs/features.md §6.1): read when it is there (the sandbox
       * sends them; `npm run pakasir:verify` asks whether Pakasir does), the method's published fee otherwise.
       */
      fee: wireRupiah.nullish(),
      total_payment: wireRupiah.nullish(),
    }),
  })
  .transform(({ transaction: t }) => ({
    project: t.project,
    orderId: t.order_id,
    amount: t.amount,
    status: t.status,
    paymentMethod: t.payment_method ?? null,
    completedAt: t.completed_at ?? null,
    fee: t.fee ?? null,
    totalPayment: t.total_payment ?? null,
  }));
export type PakasirTransaction = z.output<typeof detailAnswer>;

/** Cancel and simulation answers are not documented; any JSON object (or nothing) is accepted. */
export const acknowledgement = z.union([z.looseObject({}), z.undefined()]);

/**
 * What Pakasir POSTs to the webhook URL. It carries no signature, so receivers confirm it with
 * `detail` before acting (docs/features.md §6).
 */
export const pakasirWebhookBody = z.object({
  amount: wireRupiah,
  order_id: z.string().min(1),
  project: z.string().min(1),
  status: z.string(),
  payment_method: z.string(),
  completed_at: z.string().nullish(),
  /** Sent by Pakasir from sandbox projects. Changes nothing here: detail decides, as for any webhook. */
  is_sandbox: z.boolean().optional(),
});
export type PakasirWebhookBody = z.output<typeof pakasirWebhookBody>;

/** Every call names one order of one amount. */
export const orderRef = z.object({
  orderId: z.string().min(1),
  amount: rupiah.positive(),
});
export type OrderRef = z.infer<typeof orderRef>;
