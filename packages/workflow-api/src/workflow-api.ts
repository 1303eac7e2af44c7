/**
 * What the orders service (which starts and signals the workflows) and the worker (which runs them) agree
 * on. Its own package, depending on nothing of ours, so neither side depends on the other; the workflow
 * bundle takes it in, so it holds only types and deterministic constants.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const TASK_QUEUE = 'payments';
/**
 * Every Telegram-sending activity runs on the workflow queue's companion `<queue>-telegram`, rate-capped
 * below Telegram's limit (docs/architecture.md §8). Derived, not fixed, so test suites sharing a server stay apart.
 */
export const telegramQueueFor = (taskQueue: string) => `${taskQueue}-telegram`;

export const workflowIds = {
  purchase: (invoiceId: string) => `purchase-${invoiceId}`,
  deposit: (invoiceId: string) => `deposit-${invoiceId}`,
  latePayment: (invoiceId: string) => `late-${invoiceId}`,
  broadcast: (broadcastId: string) => `broadcast-${broadcastId}`,
};

/**
 * Idempotency keys of the ledger entries payments post. The orders service reads the purchase debit's
 * key too: a balance order becomes paid only once its debit is in the ledger.
 */
export const ledgerKeys = {
  purchase: (invoiceId: string) => `purchase:${invoiceId}`,
  /** The purchase debit given back when its order closes unpaid (docs/architecture.md §5). */
  purchaseRefund: (invoiceId: string) => `purchase-refund:${invoiceId}`,
  /**
   * Every rupiah paid by QRIS for one invoice: a deposit's credit and a late payment's refund share it,
   * so the ledger itself refuses to credit one payment twice.
   */
  payment: (invoiceId: string) => `payment:${invoiceId}`,
  /** Before `payment`: a deposit's credit. */
  deposit: (invoiceId: string) => `deposit:${invoiceId}`,
  /** Before `payment`: the refund of runs that post it themselves (histories without the patch). */
  latePayment: (invoiceId: string) => `late:${invoiceId}`,
};

export type PaymentMethod = 'qris' | 'balance';

/** Timing knobs; e2e tests shorten them, production keeps the defaults (PAYMENT_TIMEOUT). */
export interface PaymentTiming {
  paymentTimeoutMs: number;
  /** How often to ask Pakasir directly in case a webhook is lost. */
  pollIntervalMs: number;
}

/**
 * A purchase's start input. Only `invoiceId` and the timing are used: whoever reaches Temporal can start
 * a workflow with any input, so the rest is read from the order the orders service stored. The other
 * fields stay so that runs started before that rule replay as they ran.
 */
export interface PurchaseInput extends PaymentTiming {
  invoiceId: string;
  userId: number;
  userName: string;
  productId: number;
  productName: string;
  quantity: number;
  /** Order amount after voucher, before the payment fee: what Pakasir is asked to collect. */
  amount: number;
  fee: number;
  total: number;
  paymentMethod: PaymentMethod;
}

/** Like PurchaseInput: only `invoiceId` and the timing are used, the rest comes from the stored order. */
export interface DepositInput extends PaymentTiming {
  invoiceId: string;
  userId: number;
  userName: string;
  /** What the balance grows by; the customer pays amount + fee (docs/features.md §8.4). */
  amount: number;
  fee: number;
  total: number;
}

/**
 * A payment opened by the customer's press (Update-with-Start, docs/architecture.md §3): checkout starts
 * the run with the `open` update and this input. `opening` is the press as orders checked and sealed it;
 * the run hands it back to orders, which opens the order only for its own seal (a start forged by anyone
 * else who reaches Temporal opens nothing). Runs without it were started by the older code.
 */
export interface OpeningStart extends PaymentTiming {
  invoiceId: string;
  opening: string;
}

/** Orders' refusal of an opening that is not its own seal: the run was started by someone else. */
export const OPENING_REFUSED = 'opening_refused';

export const isOpeningStart = (input: { invoiceId: string }): input is OpeningStart =>
  typeof (input as Partial<OpeningStart>).opening === 'string';

/**
 * The answer to `open`: the order opened (a QRIS one with the QR to show: Pakasir's QRIS string and the
 * caption's data, checked by orders' contract), refused for a reason the customer is told (sold out,
 * balance too low, …: nothing was kept), or failed after opening (what it held is being given back).
 */
export interface OpenAnswer {
  kind: 'opened' | 'refused' | 'failed';
  reason?: string;
  details?: Record<string, unknown>;
  qr?: { qrString: string; data: Record<string, unknown> };
}

/** Checkout's update: answered as soon as the run has opened the order (the early-return pattern). */
export const openPayment = defineUpdate<OpenAnswer>('open');
/** The same answer later (a press handed over again), or null while the run is still opening. */
export const openedQuery = defineQuery<OpenAnswer | null>('opened');

/** Only `invoiceId` is used: the customer and amount come from the stored order. */
export interface LatePaymentInput {
  invoiceId: string;
  userId: number;
  /** The order amount confirmed paid at Pakasir; refunded to the balance, the fee kept (§2.6). */
  amount: number;
}

/** The order status an operator sees (search attribute OrderStatus and the `status` query). */
export type WorkflowStatus =
  | 'reserving'
  | 'awaiting_payment'
  | 'paying'
  | 'paid'
  | 'delivering'
  | 'delivery_failed'
  | 'delivered'
  | 'credited'
  | 'expired'
  | 'cancelled'
  | 'failed'
  | 'refunded'
  /** Pakasir would not say whether it was paid: parked for an operator, still asking (issue 11). */
  | 'payment_unknown';

export interface PaymentResult {
  status: WorkflowStatus;
  /** Set when a payment arrived after expiry or cancel and was refunded to the balance. */
  refunded?: number;
}

/** A payment was seen (webhook, status button, operator): the workflow confirms it with Pakasir itself. */
export const paymentReceived = defineSignal<[{ source: string }]>('paymentReceived');
/**
 * The customer (or a newer checkout, or a checkout that gave up waiting: CHECKOUT_SILENT_REASONS) cancels
 * a pending invoice.
 */
export const cancelPayment = defineSignal<[{ reason: string }]>('cancel');
/** An operator retries a delivery that kept failing (status delivery_failed). */
export const redeliver = defineSignal<[]>('redeliver');
export const statusQuery = defineQuery<WorkflowStatus>('status');
/** Cancel reasons that are the customer's own doing or checkout's: the run closes without telling them. */
export const CHECKOUT_SILENT_REASONS = {
  /** A newer checkout replaced the invoice. */
  replaced: 'replaced',
  /** Checkout told the customer "busy" before the run answered: nothing of it may stay. */
  gaveUp: 'checkout_gave_up',
} as const;

// ---------- broadcast (docs/features.md §3.2 /broadcast) ----------

/** What an admin broadcasts: a text, or a photo (a Telegram file id) with the text as its caption. */
export interface BroadcastMessage {
  text: string;
  photoFileId?: string;
}

export interface BroadcastCounts {
  sent: number;
  /** Could not be delivered, the blocked included. */
  failed: number;
  /** Of the failed: the user blocked the bot (recorded on the user, never tried again). */
  blocked: number;
}

export interface BroadcastInput {
  broadcastId: string;
  adminId: number;
  message: BroadcastMessage;
  /** Page size and the history length that starts a fresh run; tests make them small. */
  tuning?: { pageSize: number; historyLimit: number };
  /** Carried across continue-as-new: the last user id handled, the counts so far and the total. */
  resume?: { afterUserId: number; counts: BroadcastCounts; total: number };
}

export interface BroadcastProgress extends BroadcastCounts {
  total: number;
  remaining: number;
  state: 'sending' | 'cancelled' | 'done';
}

export const broadcastProgress = defineQuery<BroadcastProgress>('progress');
export const cancelBroadcast = defineSignal<[{ actor: string }]>('cancelBroadcast');

// ---------- reconciliation of payments after their workflows closed (docs/features.md §2.6) ----------

/**
 * The Temporal Schedule that starts `reconcilePayments` on a task queue; derived from the queue, so test
 * suites sharing a server keep their own. Production: `reconcile-payments`.
 */
export const reconciliationScheduleFor = (taskQueue: string) => `reconcile-${taskQueue}`;

export interface ReconcileResult {
  /** Invoices asked about at Pakasir. */
  checked: number;
  /** Of those, found paid and refunded to the balance. */
  refunded: number;
  /** Of those, Pakasir gave no answer to read (or kept failing): asked again by the next sweep. */
  unknown: number;
}

export interface ReconcileInput {
  /** Invoices closed at most this many hours ago are asked about (default 48). */
  windowHours?: number;
  /** Invoices a page, and the history length that starts a fresh run; tests make them small. */
  pageSize?: number;
  historyLimit?: number;
  /** Carried across continue-as-new: the last invoice id handled and the counts so far. */
  resume?: { after: string; counts: ReconcileResult };
}
