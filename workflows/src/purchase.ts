import { condition, setHandler } from '@temporalio/workflow';
import { FAILURE } from './failure-types';
import { closeUnpaid, collectQrisPayment } from './qris-payment';
import { delivery, services, telegram } from './proxies';
import { ledgerKeys, redeliver, type PaymentResult, type PurchaseInput } from './shared/workflow-api';
import { listenForPayment, refusedAs, retractQrMessage, trackStatus } from './steps';
import { trustedPurchase } from './stored-payment';

/**
 * One purchase, from reserved stock to delivered goods (DESIGN.md, "The purchase workflow"). Workflow
 * id `purchase-<invoiceId>`. Stock contents never enter this code: it sees item ids and message ids.
 * What is paid, how and by whom comes from the stored order, not from `startInput` (trustedPurchase).
 */
export async function purchase(startInput: PurchaseInput): Promise<PaymentResult> {
  const setStatus = trackStatus('reserving');
  const signals = listenForPayment();
  const input = await trustedPurchase(startInput);
  const { invoiceId, userId } = input;

  // 1. Reserve. Not enough stock: the customer is told and nothing is held.
  try {
    await services.reserveStock({ invoiceId, productId: input.productId, quantity: input.quantity });
  } catch (error) {
    if (!refusedAs(error, FAILURE.outOfStock)) throw error;
    await services.markOrder({ invoiceId, to: 'failed' });
    setStatus('failed');
    await telegram().sendMessage({
      chatId: userId,
      key: `out-of-stock:${invoiceId}`,
      message: { template: 'purchase.out_of_stock', data: { productName: input.productName, available: 0 } },
    });
    return { status: 'failed' };
  }

  // 2–3. Pay from the balance, or by QRIS within the payment window.
  if (input.paymentMethod === 'balance') {
    setStatus('paying');
    try {
      // A voucher worth the whole order leaves nothing to debit (a ledger entry is never Rp0).
      if (input.total > 0)
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
      await services.markOrder({ invoiceId, to: 'failed' });
      setStatus('failed');
      await telegram().sendMessage({
        chatId: userId,
        key: `insufficient:${invoiceId}`,
        message: { template: 'purchase.insufficient_balance', data: { invoiceId } },
      });
      return { status: 'failed' };
    }
  } else {
    const payment = { invoiceId, userId, amount: input.amount, timing: input, signals, setStatus };
    const { outcome, qrMessageId } = await collectQrisPayment(payment, {
      kind: 'purchase',
      productName: input.productName,
      quantity: input.quantity,
    });
    if (outcome.kind !== 'paid') {
      return closeUnpaid(payment, {
        outcome,
        qrMessageId,
        release: () => services.releaseStock({ invoiceId }),
        customerMessage: (closed) => ({
          template: closed === 'expired' ? 'invoice.expired' : 'purchase.cancelled',
          data: { invoiceId },
        }),
        adminMessage: { template: 'admin.order_expired', data: { invoiceId } },
      });
    }
    await retractQrMessage({ invoiceId, userId, messageId: qrMessageId });
  }

  // 4. Paid: sell the items, mark the order, deliver, tell the admins.
  const { itemIds } = await services.commitStock({ invoiceId });
  await services.markOrder({ invoiceId, to: 'paid', stockItemIds: itemIds });
  setStatus('delivering');
  await deliverUntilDone(input, setStatus);
  await telegram().notifyAdmins({
    key: `order-paid:${invoiceId}`,
    message: {
      template: 'admin.order_paid',
      data: { userName: input.userName, productName: input.productName, quantity: input.quantity, invoiceId },
    },
  });
  setStatus('delivered');
  return { status: 'delivered' };
}

/**
 * Delivery that keeps failing (the customer blocked the bot, Telegram down for long) parks the order as
 * `delivery_failed`, visible to operators, until one sends `redeliver`. It is never silently dropped.
 */
async function deliverUntilDone(
  input: PurchaseInput,
  setStatus: (s: 'delivering' | 'delivery_failed') => void,
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
      });
      return;
    } catch (error) {
      setStatus('delivery_failed');
      await telegram().notifyAdmins({
        key: `delivery-failed:${input.invoiceId}:${attempt}`,
        message: {
          template: 'admin.delivery_failed',
          data: {
            invoiceId: input.invoiceId,
            userId: input.userId,
            reason: refusedAs(error, FAILURE.botBlocked) ? 'bot_blocked' : 'error',
          },
        },
      });
      retryRequested = false;
      await condition(() => retryRequested);
      setStatus('delivering');
    }
  }
}
