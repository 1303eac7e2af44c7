import { waitForPayment } from './payment-window';
import { pakasir, services, telegram } from './proxies';
import type { DepositInput, PaymentResult } from './shared/workflow-api';
import { listenForPayment, refundLatePayment, retractQrMessage, trackStatus } from './steps';

/**
 * A balance top-up by QRIS (FEATURES.md §2.10): the customer pays amount + fee, the balance grows by the
 * amount. Workflow id `deposit-<invoiceId>`.
 */
export async function deposit(input: DepositInput): Promise<PaymentResult> {
  const { invoiceId, userId, amount } = input;
  const setStatus = trackStatus('awaiting_payment');
  const signals = listenForPayment();

  const invoice = await pakasir.createQrisInvoice({ invoiceId, amount });
  const qrMessageId = await telegram().sendQr({
    chatId: userId,
    key: `qr:${invoiceId}`,
    message: {
      template: 'payment.qris',
      qrString: invoice.paymentNumber,
      data: {
        kind: 'deposit',
        invoiceId,
        totalPayment: invoice.totalPayment,
        expiresAt: new Date(Date.now() + input.paymentTimeoutMs).toISOString(),
        checkoutUrl: invoice.checkoutUrl,
      },
    },
  });
  await services.recordQrMessage({ invoiceId, messageId: qrMessageId });
  const outcome = await waitForPayment(signals, {
    timeoutMs: input.paymentTimeoutMs,
    pollEveryMs: input.pollIntervalMs,
    confirm: () => pakasir.confirmPayment({ invoiceId, amount }),
  });

  if (outcome.kind !== 'paid') {
    const closed = outcome.kind === 'expired' ? 'expired' : 'cancelled';
    await pakasir.cancelQrisInvoice({ invoiceId, amount });
    await services.markOrder({ invoiceId, to: closed });
    setStatus(closed);
    await retractQrMessage({ invoiceId, userId, messageId: qrMessageId });
    if (outcome.kind === 'expired' || outcome.reason !== 'replaced') {
      await telegram().sendMessage({
        chatId: userId,
        key: `closed:${invoiceId}`,
        message: { template: 'deposit.expired', data: { invoiceId } },
      });
    }
    await telegram().notifyAdmins({
      key: `deposit-closed:${invoiceId}`,
      message: { template: 'admin.deposit_expired', data: { invoiceId } },
    });
    if (await pakasir.confirmPayment({ invoiceId, amount })) {
      await refundLatePayment({ invoiceId, userId, amount });
      setStatus('refunded');
      return { status: closed, refunded: amount };
    }
    return { status: closed };
  }

  await retractQrMessage({ invoiceId, userId, messageId: qrMessageId });
  await services.postLedger({
    userId,
    delta: amount,
    reason: 'deposit',
    invoiceId,
    key: `deposit:${invoiceId}`,
  });
  await services.markOrder({ invoiceId, to: 'paid' });
  setStatus('credited');
  await telegram().sendMessage({
    chatId: userId,
    key: `credited:${invoiceId}`,
    message: { template: 'deposit.credited', data: { invoiceId, amount } },
  });
  await telegram().notifyAdmins({
    key: `deposit-paid:${invoiceId}`,
    message: { template: 'admin.deposit_paid', data: { userName: input.userName, amount } },
  });
  return { status: 'credited' };
}
