import { givingBackOnFailure } from './before-payment';
import { notice, tellAdmins } from './notices';
import {
  closeUnpaid,
  collectQrisPayment,
  qrBecomes,
  type CloseUnpaid,
  type QrisPayment,
} from './qris-payment';
import { applies } from './patches';
import { services } from './proxies';
import {
  isOpeningStart,
  ledgerKeys,
  type DepositInput,
  type OpeningStart,
  type PaymentResult,
  type PaymentTiming,
} from '@quickcart/workflow-api';
import { answerThePress, openOrAnswer } from './opening';
import { listenForPayment, retractQrMessage, trackStatus, updateStatus } from './steps';
import { trustedDeposit } from './stored-payment';
import { beginPressRun } from './press-patches';

/**
 * A paid deposit is credited before any message (the QR's deletion went first, on the capped Telegram
 * queue, so a broadcast filling it held the customer's money back), and the QR the customer paid
 * becomes the credited notice in one call instead of being deleted and the notice sent anew.
 */
export const CREDIT_BEFORE_QR = 'deposit-credit-before-qr';

/**
 * A balance top-up by QRIS (docs/features.md §2.10): the customer pays amount + fee, the balance grows by the
 * amount. Workflow id `deposit-<invoiceId>`. A run started by the press (Update-with-Start) opens its
 * order itself and answers the press with the QR; one started by the older code reads the order checkout
 * stored (trustedDeposit). Either way the amount and customer are the stored order's, never the input's.
 */
export async function deposit(startInput: DepositInput | OpeningStart): Promise<PaymentResult> {
  const fromPress = isOpeningStart(startInput);
  if (fromPress) beginPressRun();
  // Asked in the run's first task, before any local activity (press-patches.ts says why).
  const creditFirst = fromPress && applies(CREDIT_BEFORE_QR);
  const answer = fromPress ? answerThePress() : undefined;
  const setStatus = trackStatus('awaiting_payment');
  const signals = listenForPayment();
  let input: DepositInput;
  if (isOpeningStart(startInput)) {
    const opened = await openOrAnswer(startInput, signals, answer!, setStatus);
    if (!opened) return { status: 'failed' };
    input = { ...timingOf(startInput), invoiceId: startInput.invoiceId, ...opened };
  } else input = await trustedDeposit(startInput);
  const { invoiceId, userId, amount } = input;
  const payment: QrisPayment = {
    invoiceId,
    userId,
    amount,
    timing: input,
    signals,
    setStatus,
    ...(fromPress ? { qrShownByGateway: true } : {}),
  };
  const closing: Omit<CloseUnpaid, 'outcome'> = {
    customerMessage: () => ({ template: 'deposit.expired', data: { invoiceId } }),
    adminMessage: { template: 'admin.deposit_expired', data: { invoiceId } },
  };
  const showQr = answer
    ? async ({ qrString, data }: { qrString: string; data: Record<string, unknown> }) => {
        answer({ kind: 'opened', qr: { qrString, data } });
        return undefined;
      }
    : undefined;

  // Any way out before the payment gives back what it held.
  const { outcome, qrMessageId } = await givingBackOnFailure(payment, closing, () =>
    collectQrisPayment(payment, { kind: 'deposit' }, showQr),
  ).catch((error: unknown) => {
    answer?.({ kind: 'failed' });
    throw error;
  });
  if (outcome.kind !== 'paid') return closeUnpaid(payment, { ...closing, outcome, qrMessageId });

  const credit = async () => {
    await services.postLedger({
      userId,
      delta: amount,
      reason: 'deposit',
      invoiceId,
      key: ledgerKeys.payment(invoiceId),
    });
    await updateStatus(payment, 'paid', { shown: 'credited' });
  };
  const credited = `credited:${invoiceId}`;
  // How Pakasir said it was paid (docs/features.md §6.1), named in the notice.
  const creditedNotice = {
    template: 'deposit.credited' as const,
    data: { invoiceId, amount, ...(payment.paidVia ? { paidVia: payment.paidVia } : {}) },
  };
  const sendCredited = () =>
    notice(credited, (t) => t.sendMessage({ chatId: userId, key: credited, message: creditedNotice }));
  if (creditFirst) {
    await credit();
    const qr = await shownQr(invoiceId);
    const told =
      qr !== undefined && (await qrBecomes(userId, qr, `qr-credited:${invoiceId}`, creditedNotice));
    if (!told) {
      await retractQrMessage({ invoiceId, userId, messageId: qr });
      await sendCredited();
    }
  } else {
    await retractQrMessage({
      invoiceId,
      userId,
      messageId: fromPress ? await shownQr(invoiceId) : qrMessageId,
    });
    await credit();
    await sendCredited();
  }
  const told = `deposit-paid:${invoiceId}`;
  await tellAdmins(told, { template: 'admin.deposit_paid', data: { userName: input.userName, amount } });
  return { status: 'credited' };
}

const timingOf = ({ paymentTimeoutMs, pollIntervalMs }: PaymentTiming): PaymentTiming => ({
  paymentTimeoutMs,
  pollIntervalMs,
});

/** The QR the gateway showed as its reply to the press, as orders recorded it. */
const shownQr = (invoiceId: string) => services.qrMessageOf({ invoiceId });
