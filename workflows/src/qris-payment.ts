import { applies } from './patches';
import { isCancellation, log } from '@temporalio/workflow';
import { notice, tellAdmins } from './notices';
import { parkUntilKnown } from './parked-payment';
import {
  waitForPayment,
  type PaymentCheck,
  type PaymentSignals,
  type PaymentWindowOutcome,
} from './payment-window';
import { pakasir, services, telegram, tidy } from './proxies';
import {
  CHECKOUT_SILENT_REASONS,
  type PaymentResult,
  type PaymentTiming,
  type WorkflowStatus,
} from '@quickcart/workflow-api';
import { refundLatePayment, retractQrMessage, updateStatus } from './steps';
import type { DigestedNotice, NotifyMessage } from '@quickcart/notify';
import type { MessageActivities } from './worker/activities';
import type { PaidVia } from '@quickcart/pakasir';

type QrData = Extract<NotifyMessage, { template: 'payment.qris' }>['data'];
type QrMessage = Parameters<MessageActivities['sendQr']>[0]['message'];

/**
 * Runs started before issue 11 (the recorded histories, runs in flight at a deploy) keep their steps on
 * replay: PAYMENT_UNKNOWN reads Pakasir as paid, unpaid or unknown and parks the unknown;
 * MONEY_FIRST closes an unpaid invoice with every money step before any message.
 */
export const PAYMENT_UNKNOWN = 'payment-unknown';
export const MONEY_FIRST = 'close-money-first';
/** Issue 13: Pakasir's fee and total are stored on the order once it answers; older runs did not. */
export const INVOICE_FEE_STORED = 'pakasir-invoice-fee-stored';
/** A closed invoice's QR message is edited into its notice; before: deleted, and the notice sent anew. */
export const QR_BECOMES_NOTICE = 'qr-becomes-notice';

export interface QrisPayment {
  invoiceId: string;
  userId: number;
  /** What Pakasir collects before its fee. */
  amount: number;
  timing: PaymentTiming;
  signals: PaymentSignals;
  setStatus: (s: WorkflowStatus) => void;
  /** Set once the Pakasir invoice was asked for: a failure after it has it cancelled and checked. */
  invoiceOpened?: boolean;
  /** The QR message, once shown. */
  qrMessageId?: number;
  /** The QR was the gateway's reply to the press (it recorded the message with orders), not this run's. */
  qrShownByGateway?: boolean;
  /** How Pakasir's detail said it was paid, once it did: stored with the paid status. */
  paidVia?: PaidVia;
}

/** A payment the window did not end as paid, as it closes. */
export type Closing = { kind: 'expired' } | { kind: 'cancelled'; reason: string } | { kind: 'failed' };

/**
 * Steps 2–3 of a QRIS payment (purchase or deposit): create the Pakasir invoice, show the QR with the
 * invoice id, total and expiry, and wait for a confirmed payment or a cancel within the timeout. When
 * Pakasir's answer is still unknown at the end, the order is parked until it is known (parkUntilKnown).
 */
export async function collectQrisPayment(
  p: QrisPayment,
  describe: Pick<QrData, 'kind' | 'productName' | 'quantity'>,
  show: (qr: QrMessage) => Promise<number | undefined> = sendQrMessage(p),
): Promise<{ outcome: Exclude<PaymentWindowOutcome<unknown>, { kind: 'unknown' }>; qrMessageId?: number }> {
  const { invoiceId, amount } = p;
  p.invoiceOpened = true;
  const invoice = await pakasir.createQrisInvoice({ invoiceId, amount });
  // Lost with an earlier attempt's answer, Pakasir's fee cannot be asked again: the quote stays.
  if (applies(INVOICE_FEE_STORED) && !invoice.hostedPageOnly) {
    const { fee, totalPayment } = invoice;
    await services.recordInvoiceFee({ invoiceId, amount, fee, totalPayment });
  }
  p.setStatus('awaiting_payment');
  const qrMessageId = await show({
    template: 'payment.qris',
    qrString: invoice.paymentNumber,
    data: {
      ...describe,
      invoiceId,
      totalPayment: invoice.totalPayment,
      fee: invoice.fee,
      expiresAt: new Date(Date.now() + p.timing.paymentTimeoutMs).toISOString(),
      checkoutUrl: invoice.checkoutUrl,
      ...(invoice.otherMethodsUrl ? { otherMethodsUrl: invoice.otherMethodsUrl } : {}),
      ...(invoice.hostedPageOnly ? { hostedPageOnly: true } : {}),
    },
  });
  p.qrMessageId = qrMessageId;
  const confirm = applies(PAYMENT_UNKNOWN) ? checkPayment(p) : confirmPaidOrNot(p);
  const outcome = await waitForPayment(p.signals, {
    timeoutMs: p.timing.paymentTimeoutMs,
    pollEveryMs: p.timing.pollIntervalMs,
    confirm,
  });
  if (outcome.kind !== 'unknown') return { outcome, qrMessageId };
  return { outcome: await parkUntilKnown(p, outcome.reason, confirm), qrMessageId };
}

/** Runs started before the QR became the gateway's reply to the press send it on the capped queue. */
const sendQrMessage =
  ({ invoiceId, userId }: QrisPayment) =>
  async (message: QrMessage): Promise<number> => {
    const qrMessageId = await telegram().sendQr({ chatId: userId, key: `qr:${invoiceId}`, message });
    await services.recordQrMessage({ invoiceId, messageId: qrMessageId });
    return qrMessageId;
  };

/** The QR message a payment showed: its own, or the one the gateway recorded as its reply. */
async function shownQrMessage(p: QrisPayment, own?: number): Promise<number | undefined> {
  if (own !== undefined || !p.qrShownByGateway) return own;
  return services.qrMessageOf({ invoiceId: p.invoiceId });
}

/** Pakasir's answer: paid, unpaid, or unknown (the activity logged why). */
const checkPayment = (p: QrisPayment) => async (): Promise<PaymentCheck<unknown>> => {
  const answer = await pakasir.paymentStatus({ invoiceId: p.invoiceId, amount: p.amount });
  if (answer.state === 'paid') {
    if (answer.paidVia) p.paidVia = answer.paidVia;
    return { state: 'paid', payment: answer };
  }
  return answer.state === 'unpaid' ? { state: 'unpaid' } : answer;
};

/** Before PAYMENT_UNKNOWN: paid or not. */
const confirmPaidOrNot =
  ({ invoiceId, amount }: QrisPayment) =>
  async (): Promise<PaymentCheck<unknown>> => {
    const payment = await pakasir.confirmPayment({ invoiceId, amount });
    return payment ? { state: 'paid', payment } : { state: 'unpaid' };
  };

export interface CloseUnpaid {
  outcome: Closing;
  qrMessageId?: number;
  /** What else the payment held, undone between the Pakasir cancel and the order status (stock). */
  release?: () => Promise<void>;
  customerMessage: (closed: Closing['kind']) => NotifyMessage;
  /** None for a failure: the failed run is what operators see. */
  adminMessage?: DigestedNotice;
}

/**
 * Step 5: timeout, cancel or a failure before payment. Compensations in reverse order of the steps, then
 * step 6: a payment that landed while the invoice closed (the cancel came too late) is refunded, never
 * lost (docs/features.md §2.6). Money first, messages last: a message Telegram refuses never stops a refund.
 */
export async function closeUnpaid(p: QrisPayment, c: CloseUnpaid): Promise<PaymentResult> {
  if (!applies(MONEY_FIRST)) return closeUnpaidMessagesFirst(p, c);
  // Asked here, next to MONEY_FIRST and before any local activity of this workflow task: a patch marker
  // that follows a local activity's marker in the same task did not replay (chaos, after a worker
  // restart: "patch marker encountered … but there is no corresponding change command").
  const qrBecomesNotice = applies(QR_BECOMES_NOTICE);
  const { invoiceId, userId, amount } = p;
  const closed = c.outcome.kind;
  if (p.invoiceOpened) await pakasir.cancelQrisInvoice({ invoiceId, amount });
  await c.release?.();
  await updateStatus(p, closed);
  let refunded: number | undefined;
  if (p.invoiceOpened) {
    const last = await pakasir.paymentStatus({ invoiceId, amount });
    if (last.state === 'paid') {
      refunded = await refundLatePayment({ invoiceId, userId, amount });
      p.setStatus('refunded');
    } else if (last.state === 'unknown') {
      // Closed already; reconciliation asks Pakasir again about closed invoices.
      log.warn('last payment check unknown after closing', { invoiceId, reason: last.reason });
    }
  }
  const qr = await shownQrMessage(p, c.qrMessageId);
  // The QR becomes the notice in one capped call; when Telegram will not edit it, it goes and the notice
  // comes as a new message.
  const told = qrBecomesNotice && qr !== undefined && !silently(c) && (await editIntoNotice(p, c, qr));
  if (!told) await retractQrMessage({ invoiceId, userId, messageId: qr });
  await tellClosed(p, c, told);
  return refunded === undefined ? { status: closed } : { status: closed, refunded };
}

/**
 * A checkout that replaced this invoice is the customer's own doing, and one that gave up waiting has
 * told them "busy" already: no message for either.
 */
function silently(c: CloseUnpaid): boolean {
  const silent: string[] = Object.values(CHECKOUT_SILENT_REASONS);
  return c.outcome.kind === 'cancelled' && silent.includes(c.outcome.reason);
}

/** The closed invoice's QR message becomes its notice (qrBecomes). */
const editIntoNotice = (p: QrisPayment, c: CloseUnpaid, messageId: number): Promise<boolean> =>
  qrBecomes(p.userId, messageId, `qr-closed:${p.invoiceId}`, c.customerMessage(c.outcome.kind));

/**
 * A QR message becomes a notice in one capped call (the gateway replaces the QR image too, so nothing
 * scannable stays). False when Telegram would not edit it (deleted by the customer): a few tries only;
 * the caller then retracts it and sends the notice anew.
 */
export async function qrBecomes(
  chatId: number,
  messageId: number,
  key: string,
  message: NotifyMessage,
): Promise<boolean> {
  try {
    await tidy().editMessage({ chatId, messageId, key, message });
    return true;
  } catch (error) {
    if (isCancellation(error)) throw error;
    return false;
  }
}

async function tellClosed(p: QrisPayment, c: CloseUnpaid, customerTold = false): Promise<void> {
  const { invoiceId, userId } = p;
  if (!customerTold && !silently(c)) {
    const message = c.customerMessage(c.outcome.kind);
    const key = `closed:${invoiceId}`;
    await notice(key, (t) => t.sendMessage({ chatId: userId, key, message }));
  }
  if (c.adminMessage) await tellAdmins(`admin-closed:${invoiceId}`, c.adminMessage);
}

/** Before MONEY_FIRST: the messages went before the last check, as the recorded histories did. */
async function closeUnpaidMessagesFirst(p: QrisPayment, c: CloseUnpaid): Promise<PaymentResult> {
  const { invoiceId, userId, amount } = p;
  const closed = c.outcome.kind;
  await pakasir.cancelQrisInvoice({ invoiceId, amount });
  await c.release?.();
  await updateStatus(p, closed);
  await retractQrMessage({ invoiceId, userId, messageId: c.qrMessageId });
  await tellClosed(p, c);
  if (await pakasir.confirmPayment({ invoiceId, amount })) {
    const refunded = await refundLatePayment({ invoiceId, userId, amount });
    p.setStatus('refunded');
    return { status: closed, refunded };
  }
  return { status: closed };
}
