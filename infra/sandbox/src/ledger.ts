import { Conflict, NotFound } from '@quickcart/kit';
import { buildQrisString } from './qris';
import { SANDBOX_METHODS } from './methods';
import type { SandboxQrisFee } from './qris-fee';

export type SandboxStatus = 'pending' | 'completed' | 'canceled' | 'expired';

/**
 * One payment as the sandbox keeps it; tests read it through `sandbox.transaction(orderId)`. Opened as
 * QRIS; on the pay page the customer may switch it to another method (`choose`) while it is pending.
 */
export interface SandboxTransaction {
  project: string;
  orderId: string;
  amount: number;
  fee: number;
  totalPayment: number;
  /** `qris`, or the code of the method chosen on the pay page (methods.ts). */
  paymentMethod: string;
  /** The QRIS string, or the virtual account's number once one was chosen. */
  paymentNumber: string;
  status: SandboxStatus;
  createdAt: string;
  expiredAt: string;
  completedAt: string | null;
  /** Webhook POSTs attempted for this payment, duplicates included. */
  webhooksSent: number;
}

export interface LedgerOptions {
  expiryMs: number;
  fee: SandboxQrisFee;
  /** Another fee for a method of the page than methods.ts states (tests of a Pakasir that charges otherwise). */
  methodFee?: (method: string, amount: number) => number | undefined;
  /**
   * Refuse every second create for an order_id. What Pakasir does then is undocumented, so the product
   * must not depend on it; lenient (off), the same order and amount again is the same payment.
   */
  strictOrderIds: boolean;
}

/** The sandbox's memory of payments, keyed by project and order id as Pakasir keys them. */
export class Ledger {
  private readonly payments = new Map<string, SandboxTransaction>();

  constructor(private readonly options: LedgerOptions) {}

  /**
   * Opens a payment, by QRIS unless `method` names another (transactioncreate/{method}); see
   * `strictOrderIds` for an order_id opened before.
   */
  open(project: string, orderId: string, amount: number, method = 'qris'): SandboxTransaction {
    const existing = this.payments.get(key(project, orderId));
    if (existing) {
      if (this.options.strictOrderIds) {
        throw new Conflict(`order_id ${orderId} already exists`, 'order_id_taken');
      }
      if (existing.amount !== amount) {
        throw new Conflict(
          `order_id ${orderId} already exists with amount ${existing.amount}`,
          'order_id_taken',
        );
      }
      return this.fresh(existing);
    }
    const fee = this.options.fee(amount);
    const now = Date.now();
    const tx: SandboxTransaction = {
      project,
      orderId,
      amount,
      fee,
      totalPayment: amount + fee,
      paymentMethod: 'qris',
      paymentNumber: buildQrisString({ merchantName: project, amount: amount + fee, orderId }),
      status: 'pending',
      createdAt: new Date(now).toISOString(),
      expiredAt: new Date(now + this.options.expiryMs).toISOString(),
      completedAt: null,
      webhooksSent: 0,
    };
    if (method !== 'qris') this.choose(tx, method);
    this.payments.set(key(project, orderId), tx);
    return tx;
  }

  /** The payment for this order and amount: Pakasir looks them up by both. */
  get(project: string, orderId: string, amount: number): SandboxTransaction {
    const tx = this.payments.get(key(project, orderId));
    if (!tx || tx.amount !== amount) {
      throw new NotFound(`no transaction for order_id ${orderId} and amount ${amount}`, 'transaction');
    }
    return this.fresh(tx);
  }

  /** Looks up by order id alone (for tests and the control API), optionally within one project. */
  find(orderId: string, project?: string): SandboxTransaction | undefined {
    for (const tx of this.payments.values()) {
      if (tx.orderId === orderId && (project === undefined || tx.project === project)) return this.fresh(tx);
    }
    return undefined;
  }

  /**
   * The customer picks another method on the pay page: the payment is the same order and amount, with
   * that method's fee and its own payment number (a virtual account's digits). Only while pending.
   */
  choose(tx: SandboxTransaction, method: string): void {
    const known = SANDBOX_METHODS[method];
    if (!known) throw new NotFound(`no payment method ${method}`, 'payment_method');
    if (tx.status !== 'pending') {
      throw new Conflict(`order_id ${tx.orderId} is ${tx.status}`, `payment_${tx.status}`);
    }
    if (tx.paymentMethod === method) return;
    tx.paymentMethod = method;
    tx.fee = this.options.methodFee?.(method, tx.amount) ?? known.fee(tx.amount);
    tx.totalPayment = tx.amount + tx.fee;
    tx.paymentNumber =
      method === 'qris'
        ? buildQrisString({ merchantName: tx.project, amount: tx.totalPayment, orderId: tx.orderId })
        : virtualAccountNumber(tx.orderId);
  }

  /** Stops a pending payment. Cancelling again, or after expiry, changes nothing; a paid one cannot be. */
  cancel(tx: SandboxTransaction): void {
    if (tx.status === 'completed') {
      throw new Conflict(`order_id ${tx.orderId} is already paid`, 'already_completed');
    }
    if (tx.status === 'pending') tx.status = 'canceled';
  }

  /** Marks a payment paid; true when this call paid it, false when it was paid already. */
  complete(tx: SandboxTransaction): boolean {
    if (tx.status === 'completed') return false;
    if (tx.status !== 'pending') {
      throw new Conflict(`order_id ${tx.orderId} is ${tx.status} and cannot be paid`, `payment_${tx.status}`);
    }
    tx.status = 'completed';
    tx.completedAt = new Date().toISOString();
    return true;
  }

  clear(): void {
    this.payments.clear();
  }

  /** Expiry is applied lazily, when a payment is next looked at. */
  private fresh(tx: SandboxTransaction): SandboxTransaction {
    if (tx.status === 'pending' && Date.now() >= Date.parse(tx.expiredAt)) tx.status = 'expired';
    return tx;
  }
}

/** 16 digits a bank app would take, the same for one order every time. */
function virtualAccountNumber(orderId: string): string {
  let h = 0;
  for (const c of orderId) h = (h * 31 + c.charCodeAt(0)) % 1_000_000_000_000;
  return `8808${String(h).padStart(12, '0')}`;
}

const key = (project: string, orderId: string) => `${project}\u0000${orderId}`;
