import { ApplicationFailure } from '@temporalio/common';
import type { MessageActivities, PaymentActivities } from '../src/worker/activities';
import type { StoredPayment } from '../src/worker/activities/payments';
import type { WarrantyClaim } from '@quickcart/orders/contract';
import { type DepositInput, FAILURE, ledgerKeys, type PurchaseInput } from '@quickcart/workflow-api';

type Sent = {
  action: 'send' | 'delete' | 'edit';
  chatId: number;
  key: string;
  template?: string;
  messageId?: number;
  data?: unknown;
};

/** The order the orders service would store for a checkout with these values. */
export function orderOf(i: PurchaseInput): StoredPayment {
  const { userId, userName, productId, productName, quantity, amount, fee, total, paymentMethod } = i;
  const item = { productId, productName, quantity };
  return { kind: 'purchase', status: 'pending', userId, userName, paymentMethod, amount, fee, total, item };
}

/** The order the orders service would store for a deposit with these values. */
export function depositOrderOf(i: DepositInput): StoredPayment {
  const { userId, userName, amount, fee, total } = i;
  return {
    kind: 'deposit',
    status: 'pending',
    userId,
    userName,
    paymentMethod: 'qris',
    amount,
    fee,
    total,
    item: null,
  };
}

/**
 * Stub activities over an in-memory shop: stock, Pakasir payments, a ledger, stored orders and a
 * Telegram outbox. Idempotent by key like the real services, and refusing like them, so a workflow
 * test checks the workflow's decisions, not the plumbing.
 */
export function fakeWorld(
  o: { stock?: number; balance?: number; admins?: number[]; audience?: number[] } = {},
) {
  const audience = [...(o.audience ?? [])].sort((a, b) => a - b);
  const broadcastsFinished: unknown[] = [];
  let available = o.stock ?? 10;
  const reservations = new Map<string, { qty: number; status: 'reserved' | 'committed' | 'released' }>();
  const paidVias = new Map<string, { method: string; fee: number | null }>();
  const pakasir = new Map<
    string,
    {
      amount: number;
      status: 'pending' | 'completed' | 'canceled';
      paidAmount?: number;
      /** How Pakasir's detail says it was paid (docs/features.md §6.1). */
      paidVia?: { method: string; fee: number | null };
    }
  >();
  const ledger = new Map<string, { userId: number; delta: number; reason: string }>();
  const orders = new Map<string, StoredPayment>();
  const qrShown = new Set<string>();
  const refunds = new Map<string, Awaited<ReturnType<PaymentActivities['refundLatePayment']>>>();
  const claims = new Map<string, WarrantyClaim>();
  /** What orders' refund calculator would give a claim (warranty/warranty-claims.ts). */
  const claimRefund = { amount: 0 };
  const latePayable = (invoiceId: string, o: StoredPayment) =>
    o.paymentMethod === 'qris' &&
    (o.status === 'expired' || o.status === 'cancelled' || (o.status === 'failed' && qrShown.has(invoiceId)));
  const storedOrder = (invoiceId: string) => {
    const order = orders.get(invoiceId);
    if (!order) throw ApplicationFailure.nonRetryable(`order ${invoiceId} not found`, FAILURE.refused);
    return order;
  };
  const sent: Sent[] = [];
  const sentKeys = new Set<string>();
  const blocked = new Set<number>();
  const failures = { createQris: 0, delete: 0, edit: 0 };
  /** Activity name → how many more calls are refused for good (a non-retryable failure, as a 4xx). */
  const refusing: Record<string, number> = {};
  /** Every activity called, in order (what ran before what). */
  const trail: string[] = [];
  const behaviour: {
    /** Pay every invoice as soon as it exists (a customer who pays and whose webhook is lost). */
    payOnCreate: boolean;
    /** Pakasir's detail cannot be read (a 4xx, an answer of an unexpected shape): paid is unknown. */
    pakasirUnknown: boolean;
    holdAudience?: Promise<void>;
    /** Orders slow to record a claim's outcome: the claim's workflow is still running meanwhile. */
    holdClaims?: Promise<void>;
    /** The admins see this notice, and its activity completes only when `until` resolves. */
    holdAdminNotice?: { template: string; until: Promise<void> };
  } = { payOnCreate: false, pakasirUnknown: false };
  let balance = o.balance ?? 0;
  let nextMessageId = 500;
  /** The QR message the gateway recorded as its reply to a press (set by a test). */
  let gatewayQr: number | undefined;
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  /** Like orders: pending may go anywhere once; a parked payment_unknown only to a final status. */
  const NEXT: Record<string, string[]> = {
    pending: ['paid', 'expired', 'cancelled', 'failed', 'payment_unknown'],
    payment_unknown: ['paid', 'expired', 'cancelled', 'failed'],
  };

  const record = (s: Omit<Sent, 'messageId'>): number => {
    if (sentKeys.has(s.key)) return sent.find((x) => x.key === s.key)?.messageId ?? 0;
    sentKeys.add(s.key);
    const messageId = nextMessageId++;
    sent.push({ ...s, messageId });
    return messageId;
  };

  const payments: PaymentActivities = {
    async warrantyClaim({ claimId }) {
      count('warrantyClaim');
      const claim = claims.get(claimId);
      if (!claim) throw ApplicationFailure.nonRetryable(`claim ${claimId} not found`, FAILURE.refused);
      return structuredClone(claim);
    },
    // Like orders: the outcome once (a repeat answers it, another is refused); a refund credited once.
    async resolveWarrantyClaim({ claimId, body }) {
      count('resolveWarrantyClaim');
      await behaviour.holdClaims;
      const claim = claims.get(claimId)!;
      if (claim.status === body.outcome) return structuredClone(claim);
      if (claim.status !== 'open')
        throw ApplicationFailure.nonRetryable(`claim ${claimId} is ${claim.status}`, FAILURE.refused);
      const key = ledgerKeys.warrantyRefund(claimId);
      if (body.outcome === 'refunded' && claimRefund.amount > 0 && !ledger.has(key)) {
        balance += claimRefund.amount;
        ledger.set(key, { userId: claim.userId, delta: claimRefund.amount, reason: 'refund' });
      }
      Object.assign(claim, {
        status: body.outcome,
        decidedBy: body.actor,
        decidedAt: 'now',
        refundAmount: body.outcome === 'refunded' ? claimRefund.amount : null,
        rejectReason: body.outcome === 'rejected' ? body.reason : null,
        replacementItemIds: body.outcome === 'replaced' ? body.itemIds : [],
      });
      return structuredClone(claim);
    },
    async loadPayment({ invoiceId }) {
      count('loadPayment');
      return structuredClone(storedOrder(invoiceId));
    },
    // Like orders' open: the stored order (a test stores it as checkout's press would make it), its
    // balance debit and its reservation; refusals carry orders' reason, as the worker's failures do.
    async openPayment({ invoiceId }) {
      count('openPayment');
      const order = storedOrder(invoiceId);
      const refuse = (reason: string) => ApplicationFailure.nonRetryable(reason, FAILURE.refused, { reason });
      if (order.paymentMethod === 'balance' && order.total > 0) {
        const key = ledgerKeys.purchase(invoiceId);
        if (!ledger.has(key)) {
          if (balance < order.total) throw refuse('insufficient_balance');
          balance -= order.total;
          ledger.set(key, { userId: order.userId, delta: -order.total, reason: 'purchase' });
        }
      }
      if (order.item && !reservations.has(invoiceId)) {
        if (available < order.item.quantity) {
          order.status = 'failed';
          throw refuse('out_of_stock');
        }
        available -= order.item.quantity;
        reservations.set(invoiceId, { qty: order.item.quantity, status: 'reserved' });
      }
      return { ...structuredClone(order), replaced: [] };
    },
    // Like orders: a notice for the admins' digest; the fake's admins hear it as its own line.
    async digestAdminNotice({ key, message }) {
      count('digestAdminNotice');
      for (const admin of o.admins ?? [1])
        record({ action: 'send', chatId: admin, key: `${key}:${admin}`, template: message.template });
    },
    async qrMessageOf() {
      count('qrMessageOf');
      return gatewayQr;
    },
    async reserveStock({ invoiceId, quantity }) {
      count('reserveStock');
      const existing = reservations.get(invoiceId);
      if (existing) return { itemIds: [] };
      if (available < quantity) throw ApplicationFailure.nonRetryable('habis', FAILURE.outOfStock);
      available -= quantity;
      reservations.set(invoiceId, { qty: quantity, status: 'reserved' });
      return { itemIds: Array.from({ length: quantity }, (_, i) => `${invoiceId}-item-${i}`) };
    },
    async releaseStock({ invoiceId }) {
      count('releaseStock');
      const r = reservations.get(invoiceId);
      if (r?.status === 'reserved') {
        available += r.qty;
        r.status = 'released';
      }
    },
    async commitStock({ invoiceId }) {
      count('commitStock');
      const r = reservations.get(invoiceId)!;
      r.status = 'committed';
      return { itemIds: Array.from({ length: r.qty }, (_, i) => `${invoiceId}-item-${i}`) };
    },
    async postLedger({ userId, delta, reason, key }) {
      count('postLedger');
      if (ledger.has(key)) return;
      if (balance + delta < 0)
        throw ApplicationFailure.nonRetryable('saldo kurang', FAILURE.insufficientBalance);
      balance += delta;
      ledger.set(key, { userId, delta, reason });
    },
    // Like orders: the stored total, once, only while the order is pending.
    async debitPurchase({ invoiceId }) {
      count('debitPurchase');
      const order = storedOrder(invoiceId);
      const key = ledgerKeys.purchase(invoiceId);
      if (ledger.has(key) && (order.status === 'pending' || order.status === 'paid')) return;
      if (order.status !== 'pending')
        throw ApplicationFailure.nonRetryable(`order ${invoiceId} is ${order.status}`, FAILURE.refused, {
          reason: 'order_closed',
        });
      if (order.total === 0) return;
      if (balance - order.total < 0)
        throw ApplicationFailure.nonRetryable('saldo kurang', FAILURE.insufficientBalance);
      balance -= order.total;
      ledger.set(key, { userId: order.userId, delta: -order.total, reason: 'purchase' });
    },
    async markOrder({ invoiceId, to, paidVia }) {
      count('markOrder');
      if (paidVia) paidVias.set(invoiceId, paidVia);
      const order = storedOrder(invoiceId);
      if (order.status === to) return;
      if (!NEXT[order.status]?.includes(to))
        throw ApplicationFailure.nonRetryable(`${order.status} → ${to}`, FAILURE.refused);
      // Like orders: a balance order is paid only with its debit in the ledger.
      const debit = ledger.get(ledgerKeys.purchase(invoiceId));
      if (
        to === 'paid' &&
        order.paymentMethod === 'balance' &&
        order.total > 0 &&
        !(debit?.userId === order.userId && debit.delta === -order.total)
      )
        throw ApplicationFailure.nonRetryable('payment_missing', FAILURE.refused);
      // Like orders: a balance order closing unpaid gets its debit back in the same change.
      const refundKey = ledgerKeys.purchaseRefund(invoiceId);
      if (to !== 'paid' && to !== 'payment_unknown' && debit && !ledger.has(refundKey)) {
        balance -= debit.delta;
        ledger.set(refundKey, { userId: order.userId, delta: -debit.delta, reason: 'refund' });
      }
      order.status = to;
    },
    async recordQrMessage({ invoiceId }) {
      count('recordQrMessage');
      qrShown.add(invoiceId);
    },
    // Like orders: a late payment is refunded once, only for an order closed unpaid (a failed one only
    // if its QR was shown), under the one ledger key of the invoice's payment.
    async refundLatePayment({ invoiceId }) {
      count('refundLatePayment');
      const order = storedOrder(invoiceId);
      const done = refunds.get(invoiceId);
      if (done) return { ...done };
      // Still open: its run takes the payment, or the sweep closes it and a later try refunds.
      if (order.status === 'pending' || order.status === 'payment_unknown')
        throw ApplicationFailure.retryable(`order ${invoiceId} is ${order.status}`, 'order_still_open');
      if (!latePayable(invoiceId, order))
        throw ApplicationFailure.nonRetryable(`order ${invoiceId} is ${order.status}`, FAILURE.refused, {
          reason: 'not_late_payment',
        });
      const key = ledgerKeys.payment(invoiceId);
      if (!ledger.has(key)) {
        balance += order.amount;
        ledger.set(key, { userId: order.userId, delta: order.amount, reason: 'late_payment' });
      }
      const refund = {
        invoiceId,
        userId: order.userId,
        refunded: order.amount,
        refundedAt: 'now',
        status: order.status,
      };
      refunds.set(invoiceId, refund);
      return { ...refund };
    },
    async latePaymentCandidates({ after, limit }) {
      count('latePaymentCandidates');
      const items = [...orders.entries()]
        .filter(([id, order]) => id > (after ?? '') && !refunds.has(id) && latePayable(id, order))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, limit)
        .map(([invoiceId, o]) => ({ invoiceId, userId: o.userId, amount: o.amount }));
      return { items };
    },
    async createQrisInvoice({ invoiceId, amount }) {
      count('createQrisInvoice');
      if (failures.createQris > 0) {
        failures.createQris--;
        throw new Error('Pakasir answered 503'); // retryable, like kit's Upstream(retryable)
      }
      if (!pakasir.has(invoiceId)) pakasir.set(invoiceId, { amount, status: 'pending' });
      if (behaviour.payOnCreate)
        Object.assign(pakasir.get(invoiceId)!, { status: 'completed', paidAmount: amount });
      return {
        paymentNumber: `QRIS-${invoiceId}`,
        fee: 310,
        totalPayment: amount + 310,
        expiredAt: '',
        checkoutUrl: `http://pay.test/${invoiceId}`,
        hostedPageOnly: false,
      };
    },
    async recordInvoiceFee() {
      count('recordInvoiceFee');
    },
    async cancelQrisInvoice({ invoiceId }) {
      count('cancelQrisInvoice');
      const p = pakasir.get(invoiceId);
      if (p?.status === 'pending') p.status = 'canceled';
    },
    async broadcastAudience() {
      await behaviour.holdAudience;
      return { total: audience.length };
    },
    async broadcastRecipients({ afterUserId, limit }) {
      count('broadcastRecipients');
      return { userIds: audience.filter((id) => id > afterUserId).slice(0, limit) };
    },
    async finishBroadcast(a) {
      broadcastsFinished.push(a);
    },
    /** Before issue 11: an answer it could not read was taken for "not paid". */
    async confirmPayment({ invoiceId, amount }) {
      count('confirmPayment');
      if (behaviour.pakasirUnknown) return undefined;
      const p = pakasir.get(invoiceId);
      return p?.status === 'completed' && p.paidAmount === amount ? { completedAt: 'now' } : undefined;
    },
    async paymentStatus({ invoiceId, amount }) {
      count('paymentStatus');
      if (behaviour.pakasirUnknown) return { state: 'unknown', reason: 'pakasir_http_400' };
      const p = pakasir.get(invoiceId);
      return p?.status === 'completed' && p.paidAmount === amount
        ? { state: 'paid', completedAt: 'now', ...(p.paidVia ? { paidVia: p.paidVia } : {}) }
        : { state: 'unpaid', status: p?.status ?? 'none' };
    },
  };

  const messages: MessageActivities = {
    async sendMessage({ chatId, key, message }) {
      if (blocked.has(chatId)) throw ApplicationFailure.nonRetryable('blocked', FAILURE.botBlocked);
      return [record({ action: 'send', chatId, key, template: message.template, data: message.data })];
    },
    async sendQr({ chatId, key, message }) {
      if (blocked.has(chatId)) throw ApplicationFailure.nonRetryable('blocked', FAILURE.botBlocked);
      return record({ action: 'send', chatId, key, template: message.template, data: message.data });
    },
    async deleteMessage({ chatId, key, messageId }) {
      if (failures.delete > 0 && failures.delete--) throw new Error('telegram down');
      record({ action: 'delete', chatId, key, data: { messageId } });
    },
    async editMessage({ chatId, key, message }) {
      if (failures.edit > 0 && failures.edit--) throw new Error('telegram down');
      record({ action: 'edit', chatId, key, template: message.template });
    },
    async deliverPurchase({ invoiceId, chatId, quantity, receiptOf: own, receiptOfShownQr }) {
      count('deliverPurchase');
      // Like the worker: the QR the gateway showed is the one orders recorded.
      const receiptOf = own ?? (receiptOfShownQr ? gatewayQr : undefined);
      if (blocked.has(chatId)) throw ApplicationFailure.nonRetryable('blocked', FAILURE.botBlocked);
      return [
        record({
          // Like the gateway: a QR named as `receiptOf` is edited into the receipt.
          action: receiptOf === undefined ? 'send' : 'edit',
          chatId,
          key: `deliver:${invoiceId}`,
          template: 'purchase.delivered',
          data: { quantity },
        }),
      ];
    },
    async deliverReplacement({ claimId, chatId }) {
      count('deliverReplacement');
      if (blocked.has(chatId)) throw ApplicationFailure.nonRetryable('blocked', FAILURE.botBlocked);
      return [record({ action: 'send', chatId, key: `deliver:${claimId}`, template: 'warranty.replaced' })];
    },
    async notifyAdmins({ key, message }) {
      for (const admin of o.admins ?? [1])
        record({ action: 'send', chatId: admin, key: `${key}:${admin}`, template: message.template });
      if (behaviour.holdAdminNotice?.template === message.template) await behaviour.holdAdminNotice.until;
    },
  };

  return {
    payments: refusable(payments, refusing, trail),
    messages: refusable(messages, refusing, trail),
    failures,
    /** The next `times` calls of an activity fail for good, as a 4xx or a contract change would. */
    refuse(activity: keyof PaymentActivities | keyof MessageActivities, times = 1) {
      refusing[activity] = times;
    },
    trail,
    behaviour,
    calls,
    blocked,
    broadcastsFinished,
    /** The customer pays at Pakasir (the amount defaults to what was asked; the method to what detail omits). */
    pay(invoiceId: string, paidAmount?: number, paidVia?: { method: string; fee: number | null }) {
      const p = pakasir.get(invoiceId);
      if (!p) throw new Error(`no Pakasir transaction ${invoiceId}`);
      p.status = 'completed';
      p.paidAmount = paidAmount ?? p.amount;
      if (paidVia) p.paidVia = paidVia;
    },
    /** The method and fee the paid status was stored with (markOrder's paidVia). */
    paidVia: (invoiceId: string) => paidVias.get(invoiceId),
    pakasir: (invoiceId: string) => pakasir.get(invoiceId),
    reservation: (invoiceId: string) => reservations.get(invoiceId),
    /** Orders stores an order at checkout, before its workflow starts. */
    storeOrder(invoiceId: string, order: StoredPayment) {
      orders.set(invoiceId, structuredClone(order));
    },
    /** Orders stores a claim before its workflow starts. */
    storeClaim(claim: WarrantyClaim) {
      claims.set(claim.id, structuredClone(claim));
    },
    claim: (claimId: string) => claims.get(claimId),
    claimRefund,
    /** The stored order's status. */
    order: (invoiceId: string) => orders.get(invoiceId)?.status,
    /** The gateway showed the QR as its reply to the press, as this message (recorded with orders). */
    gatewayShowedQr(messageId: number) {
      gatewayQr = messageId;
    },
    /** What orders recorded as refunded for a late payment of the invoice, if anything. */
    refunded: (invoiceId: string) => refunds.get(invoiceId)?.refunded,
    get available() {
      return available;
    },
    get balance() {
      return balance;
    },
    ledger: () => [...ledger.values()],
    /** What one chat saw, in order: template names, 'delete' for deletions, 'edit:<template>' for edits. */
    seenBy: (chatId: number) =>
      sent
        .filter((s) => s.chatId === chatId)
        .map((s) =>
          s.action === 'delete' ? 'delete' : s.action === 'edit' ? `edit:${s.template}` : s.template,
        ),
    sent,
  };
}
export type FakeWorld = ReturnType<typeof fakeWorld>;

/** Wraps each activity: records it in the trail, and refuses it while `refusing` says so. */
function refusable<T extends object>(activities: T, refusing: Record<string, number>, trail: string[]): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        trail.push(name);
        if ((refusing[name] ?? 0) > 0) {
          refusing[name]--;
          throw ApplicationFailure.nonRetryable(`${name} refused`, FAILURE.refused);
        }
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as T;
}
