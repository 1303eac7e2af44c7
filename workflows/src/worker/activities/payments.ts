import type { CatalogClient } from '@quickcart/catalog/client';
import { Context } from '@temporalio/activity';
import { isRetryable, NotFound, Upstream, type Logger } from '@quickcart/kit';
import { paymentState, type PaidVia, type PakasirClient, type PaymentState } from '@quickcart/pakasir';
import type { DigestedNotice } from '@quickcart/notify';
import type { OrdersClient } from '@quickcart/orders/client';
import type { LatePaymentRefund, LedgerReason, Order, OrderStatus } from '@quickcart/orders/contract';

/** What a payment workflow needs of its stored order: prices, method, customer and item, no contents. */
export interface StoredPayment {
  kind: Order['kind'];
  status: OrderStatus;
  userId: number;
  userName: string;
  paymentMethod: Order['paymentMethod'];
  /** What Pakasir collects (after voucher, before fee); a deposit's credit. */
  amount: number;
  fee: number;
  total: number;
  /** Purchases only. */
  item: { productId: number; productName: string; quantity: number } | null;
}

/** A press's order as its run opened it, and the customer's older QRIS invoices it replaces. */
export interface OpenedPayment extends StoredPayment {
  replaced: { invoiceId: string; kind: Order['kind'] }[];
}

function storedPayment(o: Order, userName: string): StoredPayment {
  const item =
    o.productId !== null && o.productName !== null && o.quantity !== null
      ? { productId: o.productId, productName: o.productName, quantity: o.quantity }
      : null;
  return {
    kind: o.kind,
    status: o.status,
    userId: o.userId,
    userName,
    paymentMethod: o.paymentMethod,
    amount: o.amount,
    fee: o.paymentFee,
    total: o.total,
    item,
  };
}

/** What the QR message shows of a Pakasir invoice. */
export interface QrisInvoice {
  /** What the QR encodes: Pakasir's QRIS string, or the checkout page when only that is known. */
  paymentNumber: string;
  fee: number;
  /** What the customer pays: Pakasir's total_payment. */
  totalPayment: number;
  expiredAt: string | null;
  checkoutUrl: string;
  /**
   * The same page without `qris_only`: virtual accounts and the other methods Pakasir offers there
   * (docs/features.md §6.1). Absent from the answers of runs recorded before it.
   */
  otherMethodsUrl?: string;
  /** The QRIS string was lost with an earlier attempt's answer; the QR opens the checkout page. */
  hostedPageOnly: boolean;
}

/** Which try of the running activity this is; 1 outside one (a test calling it directly). */
function activityAttempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export interface PaymentDeps {
  catalog: CatalogClient;
  orders: OrdersClient;
  pakasir: PakasirClient;
  logger: Logger;
}

/** Thin adapters over catalog, orders and Pakasir. Every one is idempotent by the invoice id. */
export function paymentActivities({ catalog, orders, pakasir, logger }: PaymentDeps) {
  /**
   * Pakasir's word on the order, by the one rule of what paid means (paymentState): paid, unpaid, or
   * unknown (a 4xx, an answer we cannot read), which is logged and left to the workflow to wait out. An
   * outage is thrown and retried.
   */
  async function paymentStatus(a: { invoiceId: string; amount: number }): Promise<PaymentState> {
    const answer = await paymentState(pakasir, { orderId: a.invoiceId, amount: a.amount });
    if (answer.state === 'unknown') {
      logger.warn('payment status unknown: Pakasir gave no answer we can read', {
        invoiceId: a.invoiceId,
        reason: answer.reason,
      });
    }
    return answer;
  }

  /**
   * The invoice an earlier attempt opened, when Pakasir has one for the order. Its detail has no QRIS
   * string, and a second create for the order_id may be refused, so the QR then carries the hosted
   * checkout page (which shows the invoice's own QRIS) and the total is the order's as stored. Pakasir
   * not knowing the order (a 4xx, an answer we cannot read) means the create never landed: undefined.
   */
  async function openedEarlier(ref: { orderId: string; amount: number }): Promise<QrisInvoice | undefined> {
    try {
      await pakasir.detail(ref);
    } catch (error) {
      if (isRetryable(error)) throw error;
      return undefined;
    }
    const order = await orders.order(ref.orderId);
    logger.warn(
      'an earlier create opened the invoice but its answer was lost: the QR shows the checkout page',
      {
        invoiceId: ref.orderId,
      },
    );
    const checkoutUrl = pakasir.checkoutUrl(ref);
    return {
      paymentNumber: checkoutUrl,
      fee: order.paymentFee,
      totalPayment: order.invoiceTotalPayment ?? order.total,
      expiredAt: null,
      checkoutUrl,
      otherMethodsUrl: pakasir.paymentPageUrl(ref),
      hostedPageOnly: true,
    };
  }

  return {
    /**
     * The payment as orders stored it at checkout. Workflows take their amounts, method, customer and
     * item from here, never from their start input, which anyone reaching Temporal can write.
     */
    async loadPayment(a: { invoiceId: string }): Promise<StoredPayment> {
      const o = await orders.order(a.invoiceId);
      return storedPayment(o, (await orders.user(o.userId)).name);
    },

    /** A notice for the admins' next digest (orders sends it every ADMIN_DIGEST_SECONDS). */
    async digestAdminNotice(a: { key: string; message: DigestedNotice }): Promise<void> {
      await orders.digestAdminNotice(a.key, a.message);
    },

    /** The QR message the gateway showed for the order, if it has recorded one. */
    async qrMessageOf(a: { invoiceId: string }): Promise<number | undefined> {
      return (await orders.order(a.invoiceId)).qrMessageId ?? undefined;
    },

    /**
     * A press's run, first step (Update-with-Start): orders opens the press it sealed (the order, its
     * voucher, a balance debit, the reservation) and answers it as stored. A refusal (sold out, not
     * enough balance, a seal not orders', too late) ends the step for good, typed by orders' reason.
     */
    async openPayment(a: { invoiceId: string; opening: string }): Promise<OpenedPayment> {
      const { order: o, userName, replaced } = await orders.open(a.invoiceId, a.opening);
      return { ...storedPayment(o, userName), replaced };
    },

    async reserveStock(a: {
      invoiceId: string;
      productId: number;
      quantity: number;
    }): Promise<{ itemIds: string[] }> {
      const r = await catalog.reserve(a);
      return { itemIds: r.itemIds };
    },

    /** Nothing reserved (a reserve that failed) is nothing to release. */
    async releaseStock(a: { invoiceId: string }): Promise<void> {
      await catalog.release(a.invoiceId).catch((error) => {
        if (!(error instanceof NotFound)) throw error;
      });
    },

    async commitStock(a: { invoiceId: string }): Promise<{ itemIds: string[] }> {
      const r = await catalog.commit(a.invoiceId);
      return { itemIds: r.itemIds };
    },

    async postLedger(a: {
      userId: number;
      delta: number;
      reason: LedgerReason;
      invoiceId: string;
      key: string;
    }): Promise<void> {
      await orders.postLedgerEntry({
        userId: a.userId,
        delta: a.delta,
        reason: a.reason,
        reference: a.invoiceId,
        idempotencyKey: a.key,
      });
    },

    /** A balance purchase's debit of its stored total; orders refuses it once the order closed. */
    async debitPurchase(a: { invoiceId: string }): Promise<void> {
      await orders.debitPurchase(a.invoiceId);
    },

    async markOrder(a: {
      invoiceId: string;
      to: Exclude<OrderStatus, 'pending'>;
      stockItemIds?: string[];
      /** How Pakasir's confirmed detail says a QRIS order was paid (docs/features.md §6.1). */
      paidVia?: PaidVia;
    }): Promise<void> {
      if (a.paidVia?.fee === null) {
        // Neither Pakasir's answer nor its published prices name this method's fee: the invoice's stays.
        logger.warn('paid by a method whose fee is not known; the invoice fee is kept', {
          invoiceId: a.invoiceId,
          method: a.paidVia.method,
        });
      }
      await orders.transition(a.invoiceId, {
        to: a.to,
        stockItemIds: a.stockItemIds,
        ...(a.paidVia ? { paidVia: a.paidVia } : {}),
      });
    },

    /**
     * A payment Pakasir confirmed after its order closed: orders decides under the order's lock whether
     * it is late (a paid or pending order is refused) and refunds it once, whoever asks.
     */
    refundLatePayment: (a: { invoiceId: string }): Promise<LatePaymentRefund> =>
      orders.refundLatePayment(a.invoiceId),

    /** A page of orders closed unpaid and not refunded, for reconciliation to ask Pakasir about. */
    latePaymentCandidates: (a: { sinceHours: number; after?: string; limit: number }) =>
      orders.latePaymentCandidates(a),

    async recordQrMessage(a: { invoiceId: string; messageId: number }): Promise<void> {
      await orders.setQrMessage(a.invoiceId, a.messageId);
    },

    /**
     * Opens the Pakasir invoice: the payment number (QRIS string), Pakasir's fee and total (what the
     * customer pays; recordInvoiceFee stores them) and the hosted checkout page. A retry asks first whether an
     * earlier attempt opened it (its answer lost): a second create for one order_id is undocumented.
     */
    async createQrisInvoice(a: { invoiceId: string; amount: number }): Promise<QrisInvoice> {
      const ref = { orderId: a.invoiceId, amount: a.amount };
      const checkoutUrl = pakasir.checkoutUrl(ref);
      if (activityAttempt() > 1) {
        const earlier = await openedEarlier(ref);
        if (earlier) return earlier;
      }
      let p;
      try {
        p = await pakasir.createQris(ref);
      } catch (error) {
        // A refusal may be Pakasir's answer to an order_id an earlier attempt opened after all (its
        // create was still in flight when this one asked detail).
        const earlier = isRetryable(error) ? undefined : await openedEarlier(ref);
        if (earlier) return earlier;
        throw error;
      }
      return {
        paymentNumber: p.paymentNumber,
        fee: p.fee,
        totalPayment: p.totalPayment,
        expiredAt: p.expiredAt,
        checkoutUrl,
        otherMethodsUrl: pakasir.paymentPageUrl(ref),
        hostedPageOnly: false,
      };
    },

    /**
     * Pakasir's fee and total for the invoice replace the quote on the order (docs/features.md §2.5). Its own
     * step, so an orders outage retries only this and never costs the QRIS string the create answered.
     */
    async recordInvoiceFee(a: { invoiceId: string; amount: number; fee: number; totalPayment: number }) {
      const order = await orders.recordPakasirInvoice(a.invoiceId, {
        fee: a.fee,
        totalPayment: a.totalPayment,
      });
      if (order.quotedFee !== null && order.quotedFee !== a.fee) {
        // The quote's model (QRIS_FEE_TIERS) no longer matches Pakasir: the customer was shown another fee.
        logger.warn('Pakasir charged another fee than quoted', {
          invoiceId: a.invoiceId,
          amount: a.amount,
          quotedFee: order.quotedFee,
          fee: a.fee,
          totalPayment: a.totalPayment,
        });
      }
    },

    /** docs/features.md §6: a 4xx from cancel must not block expiry; a later payment is refunded anyway. */
    async cancelQrisInvoice(a: { invoiceId: string; amount: number }): Promise<void> {
      try {
        await pakasir.cancel({ orderId: a.invoiceId, amount: a.amount });
      } catch (error) {
        if (isRetryable(error)) throw error;
        logger.warn('pakasir refused the cancel; going on', {
          invoiceId: a.invoiceId,
          message: (error as Error).message,
        });
      }
    },

    paymentStatus,

    /**
     * Runs started before paymentStatus existed call this: paid, or undefined for unpaid. An unknown
     * answer is never read as unpaid: it fails as an outage, so Temporal asks again.
     */
    async confirmPayment(a: {
      invoiceId: string;
      amount: number;
    }): Promise<{ completedAt: string | null } | undefined> {
      const answer = await paymentStatus(a);
      if (answer.state === 'unknown')
        throw new Upstream(
          `payment of ${a.invoiceId} is unknown (${answer.reason})`,
          true,
          'payment_unknown',
        );
      return answer.state === 'paid' ? { completedAt: answer.completedAt } : undefined;
    },
  };
}
