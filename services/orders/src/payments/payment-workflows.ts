import {
  Client,
  Connection,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import {
  SA,
  TASK_QUEUE,
  broadcastProgress,
  cancelBroadcast,
  cancelPayment,
  paymentReceived,
  workflowIds,
  type BroadcastInput,
  type BroadcastProgress,
  type DepositInput,
  type LatePaymentInput,
  type PurchaseInput,
} from '@quickcart/workflows/shared';
import type { Order } from '../contract';

/** Starting and signalling the payment workflows: the only place orders talks to Temporal. */
export class PaymentWorkflows {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string = TASK_QUEUE,
  ) {}

  static async connect(address: string, namespace: string, taskQueue: string): Promise<PaymentWorkflows> {
    const connection = await Connection.connect({ address });
    return new PaymentWorkflows(new Client({ connection, namespace }), taskQueue);
  }

  async startPurchase(input: PurchaseInput): Promise<void> {
    await this.start('purchase', workflowIds.purchase(input.invoiceId), input, {
      status: 'reserving',
      method: input.paymentMethod,
      amount: input.total,
    });
  }

  async startDeposit(input: DepositInput): Promise<void> {
    await this.start('deposit', workflowIds.deposit(input.invoiceId), input, {
      status: 'awaiting_payment',
      method: 'qris',
      amount: input.total,
    });
  }

  /** A payment after expiry or cancel: refunded to the balance by its own workflow, once per invoice. */
  async startLatePayment(input: LatePaymentInput): Promise<void> {
    await this.start('latePayment', workflowIds.latePayment(input.invoiceId), input, {
      status: 'paying',
      method: 'qris',
      amount: input.amount,
    });
  }

  /**
   * The business id is the workflow id: a repeated start (an HTTP retry, a second webhook) returns the
   * running one and never makes a second payment; a closed one is never started again.
   */
  private async start(
    type: 'purchase' | 'deposit' | 'latePayment',
    workflowId: string,
    input: { invoiceId: string; userId: number },
    sa: { status: string; method: string; amount: number },
  ): Promise<void> {
    try {
      await this.client.workflow.start(type, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [
          { key: SA.InvoiceId, value: input.invoiceId },
          { key: SA.CustomerId, value: String(input.userId) },
          { key: SA.OrderStatus, value: sa.status },
          { key: SA.PaymentMethod, value: sa.method },
          { key: SA.AmountIdr, value: sa.amount },
        ],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** One workflow per broadcast id: a repeated start finds the one running (or done) and adds none. */
  async startBroadcast(input: BroadcastInput): Promise<void> {
    try {
      await this.client.workflow.start('broadcast', {
        taskQueue: this.taskQueue,
        workflowId: workflowIds.broadcast(input.broadcastId),
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [{ key: SA.CustomerId, value: String(input.adminId) }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** Answers from a finished broadcast too (queries work on closed workflows). */
  broadcastProgress(broadcastId: string): Promise<BroadcastProgress> {
    return this.client.workflow.getHandle(workflowIds.broadcast(broadcastId)).query(broadcastProgress);
  }

  async cancelBroadcast(broadcastId: string, actor: string): Promise<void> {
    try {
      await this.client.workflow
        .getHandle(workflowIds.broadcast(broadcastId))
        .signal(cancelBroadcast, { actor });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error; // already finished: nothing to stop
    }
  }

  /** Tells a pending order's workflow a payment was seen; false when that workflow has already closed. */
  async reportPayment(order: Order, source: string): Promise<boolean> {
    return this.signalIfRunning(order, (h) => h.signal(paymentReceived, { source }));
  }

  async cancel(order: Order, reason: string): Promise<boolean> {
    return this.signalIfRunning(order, (h) => h.signal(cancelPayment, { reason }));
  }

  private async signalIfRunning(
    order: Order,
    send: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ) {
    const id =
      order.kind === 'deposit' ? workflowIds.deposit(order.invoiceId) : workflowIds.purchase(order.invoiceId);
    try {
      await send(this.client.workflow.getHandle(id));
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false; // closed or never started
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }
}
