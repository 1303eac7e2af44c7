import { waitForPayment, type PaymentSignals, type PaymentWindowOutcome } from './payment-window';
import { pakasir, services, telegram } from './proxies';
import type { PaymentResult, PaymentTiming, WorkflowStatus } from './shared/workflow-api';
import { refundLatePayment, retractQrMessage } from './steps';
import type { NotifyMessage } from '@quickcart/notify';

type QrData = Extract<NotifyMessage, { template: 'payment.qris' }>['data'];

export interface QrisPayment {
  invoiceId: string;
  userId: number;
  /** What Pakasir collects before its fee. */
  amount: number;
  timing: PaymentTiming;
  signals: PaymentSignals;
  setStatus: (s: WorkflowStatus) => void;
}

/**
 * Steps 2–3 of a QRIS payment (purchase or deposit): create the Pakasir invoice, show the QR with the
 * invoice id, total and expiry, and wait for a confirmed payment or a cancel within the timeout.
 */
export async function collectQrisPayment(
  p: QrisPayment,
  describe: Pick<QrData, 'kind' | 'productName' | 'quantity'>,
): Promise<{ outcome: PaymentWindowOutcome<unknown>; qrMessageId: number }> {
  const { invoiceId, userId, amount } = p;
  const invoice = await pakasir.createQrisInvoice({ invoiceId, amount });
  p.setStatus('awaiting_payment');
  const qrMessageId = await telegram().sendQr({
    chatId: userId,
    key: `qr:${invoiceId}`,
    message: {
      template: 'payment.qris',
      qrString: invoice.paymentNumber,
      data: {
        ...describe,
        invoiceId,
        totalPayment: invoice.totalPayment,
        expiresAt: new Date(Date.now() + p.timing.paymentTimeoutMs).toISOString(),
        checkoutUrl: invoice.checkoutUrl,
      },
    },
  });
  await services.recordQrMessage({ invoiceId, messageId: qrMessageId });
  const outcome = await waitForPayment(p.signals, {
    timeoutMs: p.timing.paymentTimeoutMs,
    pollEveryMs: p.timing.pollIntervalMs,
    confirm: () => pakasir.confirmPayment({ invoiceId, amount }),
  });
  return { outcome, qrMessageId };
}

export interface CloseUnpaid {
  outcome: Exclude<PaymentWindowOutcome<unknown>, { kind: 'paid' }>;
  qrMessageId: number;
  /** What else the payment held, undone between the Pakasir cancel and the order status (stock). */
  release?: () => Promise<void>;
  customerMessage: (closed: 'expired' | 'cancelled') => NotifyMessage;
  adminMessage: NotifyMessage;
}

/**
 * Step 5: timeout or cancel. Compensations in reverse order of the steps; then step 6: a payment that
 * landed while the invoice closed (the cancel came too late) is refunded, never lost (FEATURES.md §2.6).
 */
export async function closeUnpaid(p: QrisPayment, c: CloseUnpaid): Promise<PaymentResult> {
  const { invoiceId, userId, amount } = p;
  const closed = c.outcome.kind === 'expired' ? 'expired' : 'cancelled';
  await pakasir.cancelQrisInvoice({ invoiceId, amount });
  await c.release?.();
  await services.markOrder({ invoiceId, to: closed });
  p.setStatus(closed);
  await retractQrMessage({ invoiceId, userId, messageId: c.qrMessageId });
  // A checkout that replaced this invoice is the customer's own doing: no message for it.
  if (c.outcome.kind === 'expired' || c.outcome.reason !== 'replaced') {
    await telegram().sendMessage({
      chatId: userId,
      key: `closed:${invoiceId}`,
      message: c.customerMessage(closed),
    });
  }
  await telegram().notifyAdmins({ key: `admin-closed:${invoiceId}`, message: c.adminMessage });
  if (await pakasir.confirmPayment({ invoiceId, amount })) {
    await refundLatePayment({ invoiceId, userId, amount });
    p.setStatus('refunded');
    return { status: closed, refunded: amount };
  }
  return { status: closed };
}
