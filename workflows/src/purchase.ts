import { condition, patched, setHandler } from '@temporalio/workflow';
import { givingBackOnFailure } from './before-payment';
import {
  FAILURE,
  isOpeningStart,
  ledgerKeys,
  type OpeningStart,
  type PaymentResult,
  type PurchaseInput,
  redeliver,
} from '@quickcart/workflow-api';
import { answerThePress, openOrAnswer } from './opening';
import { notice, tellAdmins } from './notices';
import { closeUnpaid, collectQrisPayment, type CloseUnpaid, type QrisPayment } from './qris-payment';
import { delivery, services } from './proxies';
import { listenForPayment, refusedAs, retractQrMessage, trackStatus, updateStatus } from './steps';
import type { NotifyMessage } from '@quickcart/notify';
import { trustedPurchase } from './stored-payment';
import { beginPressRun } from './press-patches';

/**
 * The balance debit asked of orders by invoice (amount from the stored order). Remove the old branch
 * once no purchase run started before this patch can be open (PAYMENT_TIMEOUT after the deploy).
 */
const DEBIT_FROM_ORDER = 'debit-from-order';

/** A paid QR becomes the receipt (docs/delivery.md). Remove the old branch with DEBIT_FROM_ORDER's. */
const RECEIPT_REPLACES_QR = 'receipt-replaces-qr';

/**
 * Which message becomes the receipt (docs/delivery.md): the QR this run sent, or the one the gateway
 * showed as its reply to the press (the worker asks orders for it); neither: the goods go as new messages.
 */
type Receipt = { receiptOf?: number; receiptOfShownQr?: boolean };

/** How the payment steps ended: paid, refused for a reason the customer is told, or closing unpaid. */
type Paying =
  | { kind: 'paid'; qrMessageId?: number; itemIds?: string[] }
  | { kind: 'refused'; result: PaymentResult }
  | { kind: 'unpaid'; close: Pick<CloseUnpaid, 'outcome' | 'qrMessageId'> };

/**
 * One purchase, from the customer's press to delivered goods (docs/architecture.md §3). Workflow id
 * `purchase-<invoiceId>`. Stock contents never enter this code: it sees item ids and message ids. A run
 * started by the press (Update-with-Start) opens its order itself; one started by the older code (its
 * input has no opening) finishes on that code's path, reading the order checkout stored.
 */
export async function purchase(startInput: PurchaseInput | OpeningStart): Promise<PaymentResult> {
  if (isOpeningStart(startInput)) return purchaseFromPress(startInput);
  const setStatus = trackStatus('reserving');
  const signals = listenForPayment();
  const input = await trustedPurchase(startInput);
  const { invoiceId, userId } = input;
  const payment: QrisPayment = { invoiceId, userId, amount: input.amount, timing: input, signals, setStatus };
  const closing = closingOf(invoiceId);

  // 1–3. Any way out before the payment gives back what it held.
  const paying = await givingBackOnFailure(payment, closing, () => reserveAndPay(input, payment));
  if (paying.kind === 'refused') return paying.result;
  if (paying.kind === 'unpaid') return closeUnpaid(payment, { ...closing, ...paying.close });
  // The QR message becomes the receipt with the goods in one call, instead of being deleted before
  // the goods go as new messages (two capped Telegram calls fewer).
  const receiptOf = patched(RECEIPT_REPLACES_QR) ? paying.qrMessageId : undefined;
  if (!paying.itemIds && receiptOf === undefined)
    await retractQrMessage({ invoiceId, userId, messageId: paying.qrMessageId });
  return completePaid(input, payment, paying, { receiptOf });
}

/**
 * The purchase a press started (docs/architecture.md §3): open the order (orders writes it, holds its
 * voucher, takes a balance debit and reserves, in its `open`), answer the press (for QRIS, with the QR
 * the gateway shows as its reply), then pay, sell and deliver as every purchase does. Every way out
 * before the payment gives back what the order held, and the press is always answered.
 */
async function purchaseFromPress(start: OpeningStart): Promise<PaymentResult> {
  beginPressRun();
  const answer = answerThePress();
  const signals = listenForPayment();
  const setStatus = trackStatus('awaiting_payment');
  const order = await openOrAnswer(start, signals, answer, setStatus);
  if (!order) return { status: 'failed' };
  const { invoiceId } = start;
  const input: PurchaseInput = {
    invoiceId,
    paymentTimeoutMs: start.paymentTimeoutMs,
    pollIntervalMs: start.pollIntervalMs,
    userId: order.userId,
    userName: order.userName,
    ...order.item!,
    amount: order.amount,
    fee: order.fee,
    total: order.total,
    paymentMethod: order.paymentMethod,
  };
  const payment: QrisPayment = {
    invoiceId,
    userId: order.userId,
    amount: order.amount,
    timing: start,
    signals,
    setStatus,
    qrShownByGateway: true,
  };
  const closing = closingOf(invoiceId);
  const paying = await givingBackOnFailure(payment, closing, async (): Promise<Paying> => {
    if (input.paymentMethod === 'balance') {
      // The debit was taken with the order; until the order is paid it is still the customer's: a cancel
      // that came meanwhile (checkout gave up on the press) closes it and gives the debit back.
      const cancelled = signals.cancelled;
      if (cancelled !== undefined) {
        answer({ kind: 'failed' });
        return { kind: 'unpaid', close: { outcome: { kind: 'cancelled', reason: cancelled } } };
      }
      answer({ kind: 'opened' });
      return { kind: 'paid', itemIds: await sellAndMarkPaid(payment) };
    }
    const { outcome } = await collectQrisPayment(
      payment,
      { kind: 'purchase', productName: input.productName, quantity: input.quantity },
      async ({ qrString, data }) => {
        answer({ kind: 'opened', qr: { qrString, data } });
        return undefined;
      },
    );
    return outcome.kind === 'paid' ? { kind: 'paid' } : { kind: 'unpaid', close: { outcome } };
  }).catch((error: unknown) => {
    answer({ kind: 'failed' });
    throw error;
  });
  if (paying.kind === 'refused') return paying.result;
  if (paying.kind === 'unpaid') return closeUnpaid(payment, { ...closing, ...paying.close });
  return completePaid(input, payment, paying, { receiptOfShownQr: input.paymentMethod === 'qris' });
}

/** What closing a purchase unpaid undoes and says, beside what every payment does (qris-payment.ts). */
const closingOf = (invoiceId: string): Omit<CloseUnpaid, 'outcome'> => ({
  release: () => services.releaseStock({ invoiceId }),
  customerMessage: (closed) => ({
    template: closed === 'expired' ? 'invoice.expired' : 'purchase.cancelled',
    data: { invoiceId },
  }),
  adminMessage: { template: 'admin.order_expired', data: { invoiceId } },
});

/**
 * Step 4. Paid: sell the items, mark the order, deliver, tell the admins. Nothing is undone from here. A
 * balance purchase did the first two while still paying, where a failure still gives the debit back.
 */
async function completePaid(
  input: PurchaseInput,
  payment: QrisPayment,
  paying: Extract<Paying, { kind: 'paid' }>,
  receipt: Receipt,
): Promise<PaymentResult> {
  const { invoiceId } = input;
  if (!paying.itemIds) await sellAndMarkPaid(payment);
  await deliverUntilDone(input, payment.setStatus, receipt);
  const key = `order-paid:${invoiceId}`;
  await tellAdmins(key, {
    template: 'admin.order_paid',
    data: { userName: input.userName, productName: input.productName, quantity: input.quantity, invoiceId },
  });
  payment.setStatus('delivered');
  return { status: 'delivered' };
}

/**
 * Steps 1–3: reserve, then pay from the balance or by QRIS within the payment window. Not enough stock
 * or balance is refused here, the customer told and nothing held.
 */
async function reserveAndPay(input: PurchaseInput, payment: QrisPayment): Promise<Paying> {
  const { invoiceId, userId } = input;
  const { setStatus } = payment;
  try {
    await services.reserveStock({ invoiceId, productId: input.productId, quantity: input.quantity });
  } catch (error) {
    if (!refusedAs(error, FAILURE.outOfStock)) throw error;
    await updateStatus(payment, 'failed');
    await tell(userId, `out-of-stock:${invoiceId}`, {
      template: 'purchase.out_of_stock',
      data: { productName: input.productName, available: 0 },
    });
    return { kind: 'refused', result: { status: 'failed' } };
  }

  if (input.paymentMethod === 'balance') {
    setStatus('paying');
    try {
      // Orders debits the stored total under the order's lock and refuses once the order closed, so
      // a give-back that came first wins. Runs started before it post the debit themselves.
      if (patched(DEBIT_FROM_ORDER)) await services.debitPurchase({ invoiceId });
      // A voucher worth the whole order leaves nothing to debit (a ledger entry is never Rp0).
      else if (input.total > 0)
        await services.postLedger({
          userId,
          delta: -input.total,
          reason: 'purchase',
          invoiceId,
          key: ledgerKeys.purchase(invoiceId),
        });
    } catch (error) {
      if (!refusedAs(error, FAILURE.insufficientBalance)) throw error;
      await services.releaseStock({ invoiceId });
      await updateStatus(payment, 'failed');
      await tell(userId, `insufficient:${invoiceId}`, {
        template: 'purchase.insufficient_balance',
        data: { invoiceId },
      });
      return { kind: 'refused', result: { status: 'failed' } };
    }
    // Until the order is paid the debit is still the customer's: a failure or a cancel here closes the
    // order unpaid, and orders credits the debit back in that same change.
    if (patched(DEBIT_FROM_ORDER)) return { kind: 'paid', itemIds: await sellAndMarkPaid(payment) };
    return { kind: 'paid' };
  }

  const { outcome, qrMessageId } = await collectQrisPayment(payment, {
    kind: 'purchase',
    productName: input.productName,
    quantity: input.quantity,
  });
  if (outcome.kind === 'paid') return { kind: 'paid', qrMessageId };
  return { kind: 'unpaid', close: { outcome, qrMessageId } };
}

/** The reserved items become sold and the order paid with them. */
async function sellAndMarkPaid(payment: QrisPayment): Promise<string[]> {
  const { itemIds } = await services.commitStock({ invoiceId: payment.invoiceId });
  await updateStatus(payment, 'paid', { shown: 'delivering', stockItemIds: itemIds });
  return itemIds;
}

/** A message to the customer: best effort, like every notice. */
const tell = (chatId: number, key: string, message: NotifyMessage) =>
  notice(key, (t) => t.sendMessage({ chatId, key, message }));

/**
 * Delivery that keeps failing (the customer blocked the bot, Telegram down for long) parks the order as
 * `delivery_failed`, visible to operators, until one sends `redeliver`. It is never silently dropped.
 */
async function deliverUntilDone(
  input: PurchaseInput,
  setStatus: (s: 'delivering' | 'delivery_failed') => void,
  receipt: Receipt,
) {
  let retryRequested = false;
  setHandler(redeliver, () => void (retryRequested = true));
  for (let attempt = 1; ; attempt++) {
    try {
      await delivery().deliverPurchase({
        invoiceId: input.invoiceId,
        chatId: input.userId,
        productName: input.productName,
        quantity: input.quantity,
        ...(receipt.receiptOf === undefined ? {} : { receiptOf: receipt.receiptOf }),
        ...(receipt.receiptOfShownQr ? { receiptOfShownQr: true } : {}),
      });
      return;
    } catch (error) {
      setStatus('delivery_failed');
      const key = `delivery-failed:${input.invoiceId}:${attempt}`;
      await notice(key, (t) =>
        t.notifyAdmins({
          key,
          message: {
            template: 'admin.delivery_failed',
            data: {
              invoiceId: input.invoiceId,
              userId: input.userId,
              reason: refusedAs(error, FAILURE.botBlocked) ? 'bot_blocked' : 'error',
            },
          },
        }),
      );
      retryRequested = false;
      await condition(() => retryRequested);
      setStatus('delivering');
    }
  }
}
