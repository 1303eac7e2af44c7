import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WithStartWorkflowOperation, WorkflowIdConflictPolicy } from '@temporalio/client';
import {
  openPayment,
  workflowIds,
  type DepositInput,
  type OpeningStart,
  type PurchaseInput,
} from '@quickcart/workflow-api';
import { depositOrderOf, orderOf, type FakeWorld } from './fake-world';
import { track } from './payment-env';
import { unique } from './temporal';

export const TEN_MINUTES = 10 * 60_000;
const timing = { paymentTimeoutMs: TEN_MINUTES, pollIntervalMs: 60_000 };
const newInvoiceId = () => unique('INV').replace(/-/g, '');

/** A QRIS purchase of two Netflix accounts, as orders stores it at checkout. */
export function purchaseOf(userId: number, over: Partial<PurchaseInput> = {}): PurchaseInput {
  return {
    ...timing,
    invoiceId: newInvoiceId(),
    userId,
    userName: 'Budi',
    productId: 101,
    productName: 'Netflix',
    quantity: 2,
    amount: 60_000,
    fee: 730,
    total: 60_730,
    paymentMethod: 'qris',
    ...over,
  };
}

/** A Rp50.000 deposit, as orders stores it. */
export function depositOf(userId: number): DepositInput {
  return {
    ...timing,
    invoiceId: newInvoiceId(),
    userId,
    userName: 'Sari',
    amount: 50_000,
    fee: 660,
    total: 50_660,
  };
}

/** Like orders: the order is stored at checkout, then its workflow started under its own id. */
export async function startPurchase(
  env: TestWorkflowEnvironment,
  world: FakeWorld,
  tq: string,
  i: PurchaseInput,
) {
  world.storeOrder(i.invoiceId, orderOf(i));
  const workflowId = workflowIds.purchase(i.invoiceId);
  track(workflowId);
  return env.client.workflow.start('purchase', { taskQueue: tq, workflowId, args: [i] });
}

export async function startDeposit(
  env: TestWorkflowEnvironment,
  world: FakeWorld,
  tq: string,
  i: DepositInput,
) {
  world.storeOrder(i.invoiceId, depositOrderOf(i));
  const workflowId = workflowIds.deposit(i.invoiceId);
  track(workflowId);
  return env.client.workflow.start('deposit', { taskQueue: tq, workflowId, args: [i] });
}

/**
 * As checkout presses (issue 18): the run of `type` starts with the `open` update (Update-with-Start),
 * whose answer is the press's. The order must be stored in the fake world first, as orders writes it.
 */
export async function pressOpen(
  env: TestWorkflowEnvironment,
  type: 'purchase' | 'deposit',
  taskQueue: string,
  i: Pick<PurchaseInput, 'invoiceId' | 'paymentTimeoutMs' | 'pollIntervalMs'>,
) {
  const workflowId = workflowIds[type](i.invoiceId);
  track(workflowId);
  const start: OpeningStart = {
    invoiceId: i.invoiceId,
    opening: 'sealed-press',
    paymentTimeoutMs: i.paymentTimeoutMs,
    pollIntervalMs: i.pollIntervalMs,
  };
  const startOp = new WithStartWorkflowOperation(type, {
    taskQueue,
    workflowId,
    args: [start],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
  });
  const answer = await env.client.workflow.executeUpdateWithStart(openPayment, {
    startWorkflowOperation: startOp,
  });
  return { answer, handle: await startOp.workflowHandle() };
}

/** Real-time wait for the workflow to reach a point (time does not skip while we poll). */
export async function until(check: () => boolean, what: string | (() => string)): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
}

/**
 * Until the workflow waits on its payment timer with no activity in flight. A cancel of the run that
 * lands while an activity completes trips the time-skipping server ("ACTIVITY_UNKNOWN" on the
 * workflow task that cancels it) and the run hangs there; the dev server has no such trouble.
 */
export async function untilWaiting(h: {
  fetchHistory: () => Promise<{ events?: { eventType?: unknown }[] | null }>;
}) {
  const TIMER_STARTED = 17; // temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED
  for (let i = 0; i < 200; i++) {
    const events = (await h.fetchHistory()).events ?? [];
    if (events.some((e) => e.eventType === TIMER_STARTED)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out waiting for the payment timer');
}
