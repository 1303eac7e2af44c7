import { givingBackOnFailure } from './before-payment';
import { notice } from './notices';
import { closeUnpaid, collectQrisPayment, type CloseUnpaid, type QrisPayment } from './qris-payment';
import { services } from './proxies';
import { ledgerKeys, type DepositInput, type PaymentResult } from '@quickcart/workflow-api';
import { listenForPayment, retractQrMessage, trackStatus, updateStatus } from './steps';
import { trustedDeposit } from './stored-payment';

/**
 * A balance top-up by QRIS (docs/features.md §2.10): the customer pays amount + fee, the balance grows by the
 * amount. Workflow id `deposit-<invoiceId>`. The amount and customer are the stored order's
 * (trustedDeposit), never `startInput`'s.
 */
export async function deposit(startInput: DepositInput): Promise<PaymentResult> {
  const setStatus = trackStatus('awaiting_payment');
  const signals = listenForPayment();
  const input = await trustedDeposit(startInput);
  const { invoiceId, userId, amount } = input;
  const payment: QrisPayment = { invoiceId, userId, amount, timing: input, signals, setStatus };
  const closing: Omit<CloseUnpaid, 'outcome'> = {
    customerMessage: () => ({ template: 'deposit.expired', data: { invoiceId } }),
    adminMessage: { template: 'admin.deposit_expired', data: { invoiceId } },
  };

  // Any way out before the payment gives back what it held.
  const { outcome, qrMessageId } = await givingBackOnFailure(payment, closing, () =>
    collectQrisPayment(payment, { kind: 'deposit' }),
  );
  if (outcome.kind !== 'paid') return closeUnpaid(payment, { ...closing, outcome, qrMessageId });

  await retractQrMessage({ invoiceId, userId, messageId: qrMessageId });
  await services.postLedger({
    userId,
    delta: amount,
    reason: 'deposit',
    invoiceId,
    key: ledgerKeys.payment(invoiceId),
  });
  await updateStatus(payment, 'paid', { shown: 'credited' });
  const credited = `credited:${invoiceId}`;
  await notice(credited, (t) =>
    t.sendMessage({
      chatId: userId,
      key: credited,
      message: { template: 'deposit.credited', data: { invoiceId, amount } },
    }),
  );
  const told = `deposit-paid:${invoiceId}`;
  await notice(told, (t) =>
    t.notifyAdmins({
      key: told,
      message: { template: 'admin.deposit_paid', data: { userName: input.userName, amount } },
    }),
  );
  return { status: 'credited' };
}
