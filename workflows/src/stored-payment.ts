import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import type { StoredPayment } from './worker/activities/payments';
import {
  type DepositInput,
  FAILURE,
  type LatePaymentInput,
  type PurchaseInput,
  workflowIds,
} from '@quickcart/workflow-api';
import { services } from './proxies';

/**
 * Runs started before payments were read from the stored order (the recorded histories, workflows in
 * flight at a deploy) keep the values of their input; every new run reads the order.
 */
const FROM_STORED_ORDER = 'payment-from-stored-order';

/**
 * Anyone who can reach Temporal can start `purchase` with any input (say, balance and total 0 for their
 * own pending QRIS order). So a purchase takes only its invoice id and timing from the input: it runs
 * only under its own workflow id, for a pending purchase order, with the amounts, method, customer and
 * item that the orders service stored at checkout. Anything else ends the run before it touches stock,
 * money or messages, as a failed workflow an operator sees.
 */
export async function trustedPurchase(input: PurchaseInput): Promise<PurchaseInput> {
  if (!patched(FROM_STORED_ORDER)) return input;
  const order = await pendingOrder('purchase', input.invoiceId);
  if (!order.item) throw refused(input.invoiceId, 'the order has no item');
  return {
    invoiceId: input.invoiceId,
    paymentTimeoutMs: input.paymentTimeoutMs,
    pollIntervalMs: input.pollIntervalMs,
    userId: order.userId,
    userName: order.userName,
    ...order.item,
    amount: order.amount,
    fee: order.fee,
    total: order.total,
    paymentMethod: order.paymentMethod,
  };
}

/** The same rule for a deposit: its amount, fee and customer are the stored order's. */
export async function trustedDeposit(input: DepositInput): Promise<DepositInput> {
  if (!patched(FROM_STORED_ORDER)) return input;
  const order = await pendingOrder('deposit', input.invoiceId);
  return {
    invoiceId: input.invoiceId,
    paymentTimeoutMs: input.paymentTimeoutMs,
    pollIntervalMs: input.pollIntervalMs,
    userId: order.userId,
    userName: order.userName,
    amount: order.amount,
    fee: order.fee,
    total: order.total,
  };
}

/**
 * A refund of a payment that came after its invoice closed: to the stored customer, the stored amount,
 * and never for an order that is paid (its goods or credit were given; a refund would pay it twice).
 */
export async function trustedLatePayment(input: LatePaymentInput): Promise<LatePaymentInput> {
  if (!patched(FROM_STORED_ORDER)) return input;
  const { invoiceId } = input;
  const order = await storedOrder(workflowIds.latePayment(invoiceId), invoiceId);
  if (order.paymentMethod !== 'qris') throw refused(invoiceId, 'the order was not paid by QRIS');
  if (order.status === 'paid') throw refused(invoiceId, 'the order is paid');
  return { invoiceId, userId: order.userId, amount: order.amount };
}

/**
 * The orders service starts each payment once under this id and never twice at a time, so a run under
 * any other id was started by someone else: refused before the order is even read.
 */
async function storedOrder(expectedId: string, invoiceId: string): Promise<StoredPayment> {
  const { workflowId } = workflowInfo();
  if (workflowId !== expectedId) throw refused(invoiceId, `started as ${workflowId}, not ${expectedId}`);
  return services.loadPayment({ invoiceId });
}

async function pendingOrder(kind: StoredPayment['kind'], invoiceId: string): Promise<StoredPayment> {
  const order = await storedOrder(workflowIds[kind](invoiceId), invoiceId);
  if (order.kind !== kind) throw refused(invoiceId, `the order is a ${order.kind}, not a ${kind}`);
  if (order.status !== 'pending') throw refused(invoiceId, `the order is ${order.status}, not pending`);
  return order;
}

const refused = (invoiceId: string, why: string) =>
  ApplicationFailure.nonRetryable(`payment ${invoiceId} refused: ${why}`, FAILURE.startRefused, {
    invoiceId,
    workflowId: workflowInfo().workflowId,
  });
