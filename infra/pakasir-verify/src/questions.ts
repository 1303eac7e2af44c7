import {
  methodFee,
  PAKASIR_VA_METHODS,
  paymentState,
  pakasirWebhookBody,
  qrisFee,
  QRIS_MIN_AMOUNT,
  type OrderRef,
  type PakasirClient,
  type QrisFeeModel,
} from '@quickcart/pakasir';
import type { WebhookListener } from './webhook-listener';

/** agrees/differs: Pakasir's answer against QuickCart's assumption; info: shown, nothing assumed. */
export type Verdict = 'agrees' | 'differs' | 'info' | 'skipped' | 'error';

export interface Row {
  question: string;
  answer: string;
  assumption: string;
  verdict: Verdict;
}

export interface VerifyContext {
  pakasir: PakasirClient;
  /** The fee model orders quotes with. */
  feeModel: QrisFeeModel;
  newOrderId: () => string;
  /** How long a simulated payment may take to show as completed in detail. */
  settleMs: number;
  webhook?: { listener: WebhookListener; waitMs: number };
}

type Outcome<T> =
  { ok: true; value: T } | { ok: false; status?: number; retryable: boolean; message: string };

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const e = error as Error & { retryable?: boolean; details?: { status?: number } };
    return { ok: false, status: e.details?.status, retryable: e.retryable ?? false, message: e.message };
  }
}

/** The client's message names the call and carries the (key-scrubbed) answer; the status says enough. */
const refusal = (o: { status?: number; message: string }) =>
  o.status === undefined
    ? `failed: ${o.message}`
    : `HTTP ${o.status}: ${o.message.replace(/^.*answered \d+:? ?/, '')}`;
const refused4xx = (o: Outcome<unknown>) =>
  !o.ok && o.status !== undefined && o.status >= 400 && o.status < 500;

/** A network failure or a 5xx is no answer to a question: an error row, not a differing one. */
const unanswered = (o: Outcome<unknown>) => !o.ok && (o.status === undefined || o.status >= 500);
const judged = (o: Outcome<unknown>, agrees: boolean): Verdict =>
  unanswered(o) ? 'error' : agrees ? 'agrees' : 'differs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pays in the sandbox project and waits until detail says so. */
async function simulatePaid(c: VerifyContext, ref: OrderRef): Promise<boolean> {
  await c.pakasir.simulatePayment(ref);
  const until = Date.now() + c.settleMs;
  for (;;) {
    const state = await paymentState(c.pakasir, ref).catch(() => undefined);
    if (state?.state === 'paid') return true;
    if (Date.now() > until) return false;
    await sleep(250);
  }
}

export type Question = (c: VerifyContext) => Promise<Row[]>;

const repeatedOrderId: Question = async (c) => {
  const ref = { orderId: c.newOrderId(), amount: 1_000 };
  const first = await c.pakasir.createQris(ref);
  const again = await attempt(() => c.pakasir.createQris(ref));
  const answer = again.ok
    ? `accepted: ${again.value.paymentNumber === first.paymentNumber ? 'the same QRIS string' : 'another QRIS string'}`
    : `refused, ${refusal(again)}`;
  return [
    {
      question: 'transactioncreate twice for one order_id',
      answer,
      assumption: 'refused with a 4xx (the sandbox\u2019s strict mode); QuickCart asks detail before a retry',
      verdict: judged(again, refused4xx(again)),
    },
  ];
};

const minimum: Question = async (c) => {
  const rows: Row[] = [];
  for (const amount of [1, QRIS_MIN_AMOUNT - 1]) {
    const o = await attempt(() => c.pakasir.createQris({ orderId: c.newOrderId(), amount }));
    rows.push({
      question: `transactioncreate, amount ${amount}`,
      answer: o.ok
        ? `accepted (fee ${o.value.fee}, total ${o.value.totalPayment})`
        : `refused, ${refusal(o)}`,
      assumption: `refused with a 4xx: QRIS takes at least ${QRIS_MIN_AMOUNT}`,
      verdict: judged(o, refused4xx(o)),
    });
  }
  rows.push(await feeRow(c, QRIS_MIN_AMOUNT, 'accepted; '));
  return rows;
};

async function feeRow(c: VerifyContext, amount: number, prefix = ''): Promise<Row> {
  const fee = qrisFee(amount, c.feeModel);
  const o = await attempt(() => c.pakasir.createQris({ orderId: c.newOrderId(), amount }));
  return {
    question: `fee at amount ${amount}`,
    answer: o.ok ? `fee ${o.value.fee}, total_payment ${o.value.totalPayment}` : `refused, ${refusal(o)}`,
    assumption: `${prefix}fee ${fee}, total_payment ${amount + fee} (QRIS_FEE_TIERS)`,
    verdict: judged(o, o.ok && o.value.fee === fee && o.value.totalPayment === amount + fee),
  };
}

const fees: Question = async (c) => [await feeRow(c, 105_000), await feeRow(c, 105_001)];

const detailPending: Question = async (c) => {
  const ref = { orderId: c.newOrderId(), amount: 1_500 };
  await c.pakasir.createQris(ref);
  const o = await attempt(() => c.pakasir.detail(ref));
  return [
    {
      question: 'transactiondetail of a pending order',
      answer: o.ok ? `status ${o.value.status}, amount ${o.value.amount}` : refusal(o),
      assumption: 'status pending, the amount before the fee',
      verdict: judged(o, o.ok && o.value.status === 'pending' && o.value.amount === ref.amount),
    },
  ];
};

const detailUnknown: Question = async (c) => {
  const o = await attempt(() => c.pakasir.detail({ orderId: c.newOrderId(), amount: 1_500 }));
  return [
    {
      question: 'transactiondetail of an order never created',
      answer: o.ok ? `status ${o.value.status}, amount ${o.value.amount}` : refusal(o),
      assumption: 'a 4xx or no transaction: read as "never opened", so a retried create creates',
      verdict: judged(o, !o.ok && !o.retryable),
    },
  ];
};

/** A paid order: detail with another amount, cancel after payment, and its webhook. */
const paidOrder: Question = async (c) => {
  const ref = { orderId: c.newOrderId(), amount: 2_000 };
  await c.pakasir.createQris(ref);
  c.webhook?.listener.refuseFirst.add(ref.orderId);
  const paid = await simulatePaid(c, ref);
  const rows: Row[] = [
    {
      question: 'paymentsimulation, then transactiondetail',
      answer: paid ? 'completed' : `not completed within ${c.settleMs / 1000} s`,
      assumption: 'completed (the one status that means paid), for the same amount',
      verdict: paid ? 'agrees' : 'differs',
    },
  ];
  const wrong = { ...ref, amount: ref.amount + 1 };
  const raw = await attempt(() => c.pakasir.detail(wrong));
  const state = await paymentState(c.pakasir, wrong).catch((e: Error) => ({ state: `error ${e.message}` }));
  rows.push({
    question: 'transactiondetail of a paid order, another amount',
    answer: raw.ok ? `status ${raw.value.status}, amount ${raw.value.amount}` : refusal(raw),
    assumption: 'never read as paid for that amount (paymentState: completed and the same amount)',
    verdict: state.state === 'paid' ? 'differs' : 'agrees',
  });
  const cancel = await attempt(() => c.pakasir.cancel(ref));
  const after = await attempt(() => c.pakasir.detail(ref));
  rows.push({
    question: 'transactioncancel after payment',
    answer: `cancel ${cancel.ok ? 'accepted' : `refused, ${refusal(cancel)}`}; detail then: ${after.ok ? after.value.status : refusal(after)}`,
    assumption: 'refused or ignored: the payment stays completed (QuickCart refunds a late payment)',
    verdict: judged(after, after.ok && after.value.status === 'completed'),
  });
  return [...rows, ...(await webhookRows(c, ref))];
};

async function webhookRows(c: VerifyContext, ref: OrderRef): Promise<Row[]> {
  const questions = ['webhook body', 'webhook headers', 'webhook retries after a 500'];
  if (!c.webhook) {
    return questions.map((question) => ({
      question,
      answer: 'skipped: no URL (PAKASIR_VERIFY_WEBHOOK_URL)',
      assumption: '-',
      verdict: 'skipped',
    }));
  }
  const { listener, waitMs } = c.webhook;
  // The whole wait: retries of the refused first delivery may come late.
  const until = Date.now() + waitMs;
  while (Date.now() < until && listener.for(ref.orderId).length < 2) await sleep(250);
  const got = listener.for(ref.orderId);
  const first = got[0];
  if (!first) {
    return questions.map((question) => ({
      question,
      answer: `nothing arrived within ${waitMs / 1000} s`,
      assumption: 'sent after a payment (QuickCart also polls detail)',
      verdict: 'differs',
    }));
  }
  const body = pakasirWebhookBody.safeParse(first.body);
  const bodyOk = body.success && body.data.status === 'completed' && body.data.amount === ref.amount;
  const signed = Object.keys(first.headers).filter((h) => /sign|hmac|token|auth/i.test(h));
  const shown = ['content-type', 'user-agent', ...signed].map(
    (h) => `${h}: ${String(first.headers[h] ?? '-')}`,
  );
  const retries = got.slice(1).map((d) => `+${((d.at - first.at) / 1000).toFixed(1)} s`);
  return [
    {
      question: 'webhook body',
      answer: JSON.stringify(first.body),
      assumption:
        'amount (before fee), order_id, project, status completed, payment_method, completed_at; is_sandbox true',
      verdict: bodyOk && body.data.is_sandbox === true ? 'agrees' : 'differs',
    },
    {
      question: 'webhook headers',
      answer: shown.join('; '),
      assumption: 'no signature: QuickCart confirms every webhook with detail',
      verdict: signed.length === 0 ? 'agrees' : 'differs',
    },
    {
      question: 'webhook retries after a 500',
      answer: retries.length === 0 ? `none within ${waitMs / 1000} s` : `again at ${retries.join(', ')}`,
      assumption: 'not relied on: a waiting payment polls detail',
      verdict: 'info',
    },
  ];
}

/**
 * The methods of Pakasir's page beside QRIS (issue 22, docs/features.md §6.1): each virtual account's fee,
 * opened through the API as Pakasir documents (`transactioncreate/{method}`), against the published fee
 * QuickCart assumes; and what detail says of an order paid by one: its `payment_method`, and whether it
 * reports a fee at all (not documented: the sandbox does; without it QuickCart uses the published fee).
 */
const otherMethods: Question = async (c) => {
  const amount = 10_000;
  const rows: Row[] = [];
  for (const [method, { fee }] of Object.entries(PAKASIR_VA_METHODS)) {
    const o = await attempt(() => c.pakasir.create(method, { orderId: c.newOrderId(), amount }));
    rows.push({
      question: `${method}: fee at amount ${amount}`,
      answer: o.ok
        ? `fee ${o.value.fee}, total_payment ${o.value.totalPayment}, payment_method ${o.value.paymentMethod}`
        : `refused, ${refusal(o)}`,
      assumption: `fee ${fee}, total_payment ${amount + fee} (methods.ts, from Pakasir's SDKs)`,
      verdict: judged(o, o.ok && o.value.fee === fee && o.value.totalPayment === amount + fee),
    });
  }
  const ref = { orderId: c.newOrderId(), amount };
  const opened = await attempt(() => c.pakasir.create('bni_va', ref));
  const paid = opened.ok && (await simulatePaid(c, ref));
  const detail = await attempt(() => c.pakasir.detail(ref));
  const expected = methodFee('bni_va', amount);
  const reported = detail.ok ? detail.value.fee : null;
  rows.push({
    question: 'transactiondetail of an order paid by bni_va',
    answer: !paid
      ? `not paid: ${opened.ok ? `not completed within ${c.settleMs / 1000} s` : refusal(opened)}`
      : detail.ok
        ? `status ${detail.value.status}, payment_method ${detail.value.paymentMethod}, ` +
          `fee ${reported ?? 'absent'}, total_payment ${detail.value.totalPayment ?? 'absent'}`
        : refusal(detail),
    assumption: `completed, payment_method bni_va; a fee when present is ${expected} (else the published one is used)`,
    verdict: judged(
      detail,
      paid &&
        detail.ok &&
        detail.value.status === 'completed' &&
        detail.value.paymentMethod === 'bni_va' &&
        (reported === null || reported === expected),
    ),
  });
  const page = await attempt(async () => (await fetch(c.pakasir.paymentPageUrl(ref))).status);
  rows.push({
    question: 'the payment page without qris_only, with redirect',
    answer: page.ok ? `HTTP ${page.value}` : `failed: ${page.message}`,
    assumption: 'a page (HTTP 200) where the customer picks a method; not read further',
    verdict: page.ok && page.value === 200 ? 'agrees' : page.ok ? 'differs' : 'error',
  });
  return rows;
};

/** Every open question of issues 13 and 22, in the order the table shows them. */
export const QUESTIONS: readonly Question[] = [
  repeatedOrderId,
  minimum,
  fees,
  detailPending,
  detailUnknown,
  paidOrder,
  otherMethods,
];
