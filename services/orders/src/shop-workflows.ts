import {
  Client,
  Connection,
  type ConnectionOptions,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WithStartWorkflowOperation,
} from '@temporalio/client';
import {
  SA,
  TASK_QUEUE,
  broadcastProgress,
  cancelBroadcast,
  CHECKOUT_SILENT_REASONS,
  cancelPayment,
  openedQuery,
  openPayment,
  decideWarranty,
  paymentReceived,
  redeliver,
  telegramQueueFor,
  workflowIds,
  type BroadcastInput,
  type BroadcastProgress,
  type LatePaymentInput,
  type OpenAnswer,
  type OpeningStart,
  type PaymentTiming,
  type PurchaseInput,
  type WarrantyClaimInput,
  type WarrantyDecision,
  type WarrantyDecisionAnswer,
} from '@quickcart/workflow-api';
import { Upstream } from '@quickcart/kit';
import { ORDERS_REFUSAL, type Order } from './contract';
import { correlationMemo } from './correlation-memo';

export interface ShopWorkflowsOptions {
  taskQueue?: string;
  /** Every payment's window and polling (PAYMENT_TIMEOUT, PAYMENT_POLL_INTERVAL). */
  timing: PaymentTiming;
  /**
   * How long one call to start, signal or describe a payment may take: a frozen Temporal must not hold
   * a checkout (its start is in the outbox, the relay tries again) nor stall the relay. Default 3 s.
   */
  callTimeoutMs?: number;
  /** How long a press waits for its accepted run's answer (CHECKOUT_ANSWER_TIMEOUT). Default 20 s. */
  answerTimeoutMs?: number;
}

/**
 * A payment workflow's start input: only its invoice id and timing, the rest it reads from the stored
 * order (workflows/src/stored-payment.ts), so the order is the one place a payment is described.
 */
export type PaymentStart = Pick<PurchaseInput, 'invoiceId'> & PaymentTiming;

/** Where a payment's workflow is: started now or before (`started`), or its id taken by a run that ended. */
export type StartOutcome = 'started' | 'ended';

/**
 * Starting, signalling and asking the shop's workflows (purchase, deposit, latePayment, broadcast): the
 * only place orders talks to Temporal.
 */
export class ShopWorkflows {
  private readonly taskQueue: string;
  private readonly callTimeoutMs: number;
  private readonly answerWithinMs: number;

  constructor(
    private readonly client: Client,
    private readonly options: ShopWorkflowsOptions,
  ) {
    this.taskQueue = options.taskQueue ?? TASK_QUEUE;
    this.callTimeoutMs = options.callTimeoutMs ?? 3_000;
    this.answerWithinMs = options.answerTimeoutMs ?? 20_000;
  }

  /** `connection`: the address, and Temporal Cloud's API key or mTLS pair (temporalConnectionOptions). */
  static async connect(
    connection: ConnectionOptions,
    namespace: string,
    options: ShopWorkflowsOptions,
  ): Promise<ShopWorkflows> {
    return new ShopWorkflows(
      new Client({ connection: await Connection.connect(connection), namespace }),
      options,
    );
  }

  /**
   * A press's payment run, started with its `open` update (Update-with-Start, the early-return pattern):
   * the answer is the run's, as soon as it opened the order (the QR, or why not). Temporal and a worker
   * must take the press within `acceptWithinMs` (CHECKOUT_TIMEOUT, 3 s: the update is accepted when a
   * worker runs the run's first task), and the run answer within `answerWithinMs` (a Pakasir slow to
   * create the invoice); otherwise it is "busy": the run, if it did start, is asked to cancel, and orders
   * opens nothing for a press sealed that long ago, so nothing of the press stays.
   */
  async open(
    kind: Order['kind'],
    invoiceId: string,
    opening: string,
    sa: { userId: number; method: string; amount: number },
  ): Promise<OpenAnswer> {
    const input: OpeningStart = { invoiceId, opening, ...this.options.timing };
    const id = workflowIds[kind](invoiceId);
    const start = new WithStartWorkflowOperation(kind, {
      ...this.startOptions(id, input, {
        ...sa,
        status: sa.method === 'balance' ? 'paying' : 'awaiting_payment',
      }),
      // A running run under this id is another press's (an id drawn twice): the update must not reach it.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    });
    try {
      const update = await this.bounded(() =>
        this.client.workflow.startUpdateWithStart(openPayment, {
          startWorkflowOperation: start,
          waitForStage: 'ACCEPTED',
        }),
      );
      return await this.client.withDeadline(Date.now() + this.answerWithinMs, () => update.result());
    } catch (error) {
      // The id is another run's, running or closed (FAIL, REJECT_DUPLICATE): checkout draws another.
      if (error instanceof WorkflowExecutionAlreadyStartedError)
        return { kind: 'refused', reason: ORDERS_REFUSAL.invoiceIdTaken };
      // Not awaited: the customer hears "busy" now.
      void this.giveUp(kind, id, input, sa);
      throw new Upstream(
        `payment run ${id} did not answer: ${(error as Error).message}`,
        true,
        ORDERS_REFUSAL.busy,
      );
    }
  }

  /**
   * The press checkout gave up on must leave nothing: its run gets a silent `cancel`, by signal-with-start,
   * so the cancel is in the run's history whether the run had started (it gives back what it opened) or
   * not yet (a start still on its way then finds the id taken; the run started here opens nothing).
   * Tried for a minute while Temporal does not answer; past that a press sealed so long ago opens nothing.
   */
  private async giveUp(
    kind: Order['kind'],
    id: string,
    input: OpeningStart,
    sa: { userId: number; method: string; amount: number },
  ): Promise<void> {
    const options = this.startOptions(id, input, { ...sa, status: 'cancelled' });
    for (let attempt = 1; attempt <= 20; attempt++) {
      try {
        await this.bounded(() =>
          this.client.workflow.signalWithStart(kind, {
            ...options,
            signal: cancelPayment,
            signalArgs: [{ reason: CHECKOUT_SILENT_REASONS.gaveUp }],
          }),
        );
        return;
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return; // the run has closed already
        await new Promise((r) => setTimeout(r, 3_000));
      }
    }
  }

  /** A run's answer to its press, asked again (a press handed over again); null while it opens. */
  async opened(order: Order): Promise<OpenAnswer | null> {
    return this.bounded(() =>
      this.client.workflow.getHandle(workflowIds[order.kind](order.invoiceId)).query(openedQuery),
    );
  }

  /**
   * Starts the workflow of a stored order, once: the business id is the workflow id, so a repeated
   * start (the relay after a checkout's own start, two relays) finds the run there and adds none.
   * `ended`: a run under that id has closed, and none is started again.
   */
  async startPayment(order: Order): Promise<StartOutcome> {
    try {
      await this.bounded(() => this.client.workflow.start(order.kind, this.paymentStart(order)));
      return 'started';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'ended';
      throw error;
    }
  }

  /**
   * Asks a pending order's workflow to cancel, starting it first if it never was (its start still in
   * the outbox): the cancel is not lost, and the workflow gives back what the order holds.
   */
  async cancel(order: Order, reason: string): Promise<StartOutcome> {
    try {
      await this.bounded(() =>
        this.client.workflow.signalWithStart(order.kind, {
          ...this.paymentStart(order),
          signal: cancelPayment,
          signalArgs: [{ reason }],
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'ended';
      throw error;
    }
  }

  /** Whether a payment's workflow runs, has ended, or was never started. */
  async paymentState(order: Order): Promise<'running' | 'ended' | 'missing'> {
    try {
      const { status } = await this.bounded(() =>
        this.client.workflow.getHandle(workflowIds[order.kind](order.invoiceId)).describe(),
      );
      return status.name === 'RUNNING' ? 'running' : 'ended';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'missing';
      throw error;
    }
  }

  /** The one description of a payment's start, from its stored order (the checkout's and the relay's). */
  private paymentStart(order: Order) {
    const input: PaymentStart = { invoiceId: order.invoiceId, ...this.options.timing };
    return this.startOptions(workflowIds[order.kind](order.invoiceId), input, {
      userId: order.userId,
      status: order.kind === 'purchase' ? 'reserving' : 'awaiting_payment',
      method: order.paymentMethod,
      amount: order.total,
    });
  }

  /**
   * The business id is the workflow id: a repeated start (an HTTP retry, a second webhook) finds the
   * running one and never makes a second payment; a closed one is never started again. The search
   * attributes are what an operator filters by in the Web UI.
   */
  private startOptions(
    workflowId: string,
    input: { invoiceId: string },
    sa: { userId: number; status: string; method: string; amount: number },
  ) {
    return {
      taskQueue: this.taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      ...correlationMemo(),
      typedSearchAttributes: [
        { key: SA.InvoiceId, value: input.invoiceId },
        { key: SA.CustomerId, value: String(sa.userId) },
        { key: SA.OrderStatus, value: sa.status },
        { key: SA.PaymentMethod, value: sa.method },
        { key: SA.AmountIdr, value: sa.amount },
      ],
    };
  }

  private bounded<R>(call: () => Promise<R>): Promise<R> {
    return this.client.withDeadline(Date.now() + this.callTimeoutMs, call);
  }

  /** A payment after expiry or cancel: refunded to the balance by its own workflow, once per invoice. */
  async startLatePayment(input: LatePaymentInput): Promise<void> {
    const options = this.startOptions(workflowIds.latePayment(input.invoiceId), input, {
      userId: input.userId,
      status: 'paying',
      method: 'qris',
      amount: input.amount,
    });
    try {
      await this.client.workflow.start('latePayment', options);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  async startBroadcast(input: BroadcastInput): Promise<void> {
    try {
      await this.client.workflow.start('broadcast', {
        taskQueue: this.taskQueue,
        workflowId: workflowIds.broadcast(input.broadcastId),
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        ...correlationMemo(),
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

  /**
   * An operator's "🔁 Kirim ulang": the purchase tries its delivery again (docs/operations.md §5.2).
   * False when its workflow is not running.
   */
  async redeliver(order: Order): Promise<boolean> {
    return this.signalIfRunning(order, (h) => this.bounded(() => h.signal(redeliver)));
  }

  /**
   * Invoices of this task queue's purchases parked as `delivery_failed`: only the workflow knows a
   * delivery failed (the order is paid), so /stuck asks Temporal's visibility for these, at most `limit`.
   */
  async deliveryFailedInvoices(limit = 200): Promise<string[]> {
    const query = `OrderStatus = 'delivery_failed' AND ExecutionStatus = 'Running' AND TaskQueue = '${this.taskQueue}'`;
    return this.bounded(async () => {
      const invoices: string[] = [];
      for await (const run of this.client.workflow.list({ query, pageSize: limit })) {
        const invoiceId = run.typedSearchAttributes.get(SA.InvoiceId);
        if (run.workflowId === workflowIds.purchase(invoiceId ?? '')) invoices.push(invoiceId!);
        if (invoices.length >= limit) break;
      }
      return invoices;
    });
  }

  /**
   * When Temporal last noted a poll of the worker's queues (this task queue's workflow and activity
   * tasks, its Telegram queue's activities); undefined when it knows of none. Temporal notes a poll as
   * it begins and as it ends, and an idle poll waits up to a minute for a task, so a worker that polls
   * may show a poll that old (docs/operations.md §16).
   */
  async lastPoll(): Promise<Date | undefined> {
    // TASK_QUEUE_TYPE_WORKFLOW and TASK_QUEUE_TYPE_ACTIVITY of Temporal's API.
    const queues = [
      { name: this.taskQueue, type: 1 },
      { name: this.taskQueue, type: 2 },
      { name: telegramQueueFor(this.taskQueue), type: 2 },
    ];
    const answers = await this.bounded(() =>
      Promise.all(
        queues.map(({ name, type }) =>
          this.client.workflowService.describeTaskQueue({
            namespace: this.client.options.namespace,
            taskQueue: { name },
            taskQueueType: type,
          }),
        ),
      ),
    );
    const polls = answers.flatMap((a) =>
      a.pollers.flatMap(({ lastAccessTime: t }) =>
        t ? [Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)] : [],
      ),
    );
    return polls.length === 0 ? undefined : new Date(Math.max(...polls));
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

  /**
   * A warranty claim's workflow (docs/features.md §2.9.1), once per claim id: a repeated start finds the
   * run there. InvoiceId and CustomerId make it findable in the Web UI beside the order's purchase.
   */
  async startWarrantyClaim(input: WarrantyClaimInput): Promise<void> {
    try {
      await this.bounded(() =>
        this.client.workflow.start('warrantyClaim', {
          taskQueue: this.taskQueue,
          workflowId: workflowIds.warrantyClaim(input.claimId),
          args: [input],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          typedSearchAttributes: [
            { key: SA.InvoiceId, value: input.invoiceId },
            { key: SA.CustomerId, value: String(input.userId) },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** An admin's press on a claim: the workflow answers once it has recorded the decision (or an earlier one). */
  decideWarrantyClaim(claimId: string, decision: WarrantyDecision): Promise<WarrantyDecisionAnswer> {
    return this.bounded(() =>
      this.client.workflow.getHandle(workflowIds.warrantyClaim(claimId)).executeUpdate(decideWarranty, {
        args: [decision],
      }),
    );
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }
}
