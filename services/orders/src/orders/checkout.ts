import type { CatalogClient } from '@quickcart/catalog/client';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, DomainError, Upstream, type Logger } from '@quickcart/kit';
import { qrisFee, QRIS_MIN_AMOUNT, type QrisFeeModel } from '@quickcart/pakasir';
import type { Sequelize } from 'sequelize-typescript';
import {
  ORDERS_REFUSAL,
  type CheckoutQuote,
  type CheckoutRequest,
  type DepositRequest,
  type Order,
  type User,
} from '../contract';
import { priceRoleOf, type ProductDetail } from '@quickcart/catalog/contract';

type Quote = { user: User; product: ProductDetail; quote: CheckoutQuote };
import type { WorkflowStarts } from '../payments/workflow-starts';
import type { Users } from '../users/users';
import type { Vouchers } from '../vouchers/vouchers';
import type { FaultHold } from './fault-hold';
import { newInvoiceId } from './invoice-id';
import { requestKeyTaken, type NewOrder, type OrderStore } from './order-store';

const INVOICE_ID_DRAWS = 3;

/**
 * Pakasir refuses QRIS payments under Rp500 (docs/features.md §2.5): refused here, before anything is
 * reserved, instead of failing at Pakasir with stock held. The customer can pay from the balance.
 */
function refuseBelowQrisMinimum(toPay: number): void {
  if (toPay > 0 && toPay < QRIS_MIN_AMOUNT) {
    throw new Conflict(`QRIS takes at least Rp${QRIS_MIN_AMOUNT}`, ORDERS_REFUSAL.qrisBelowMinimum, {
      minimum: QRIS_MIN_AMOUNT,
      toPay,
    });
  }
}

/** The drawn id is another order's. */
const invoiceIdTaken = (error: unknown): boolean =>
  pgCode(error) === PG.uniqueViolation &&
  (error as { parent?: { constraint?: string } }).parent?.constraint === 'orders_invoice_id_key';

export interface CheckoutDeps {
  sequelize: Sequelize;
  users: Users;
  orders: OrderStore;
  catalog: CatalogClient;
  starts: WorkflowStarts;
  vouchers: Vouchers;
  /** The quoted fee (QRIS_FEE_TIERS); Pakasir's answer to the create replaces it on the order. */
  feeModel: QrisFeeModel;
  logger: Logger;
  /** Test only (QC_FAULT_HOLD): holds a step open so a crash test can kill the process inside it. */
  hold?: FaultHold;
}

/**
 * Creates an order with its price snapshot and starts its workflow (docs/features.md §2.5–2.7, §2.10).
 * A customer has at most one pending QRIS invoice: a new checkout or deposit cancels the previous one
 * (its workflow releases the stock), never asking the customer to cancel first (§8.3).
 *
 * Exactly once across crashes (issue 12): the order and the start of its workflow are committed
 * together (WorkflowStarts), before anything is reserved for it. Whatever step a crash interrupts, what
 * is left is an order whose workflow the relay starts (and which reserves, idempotently by invoice id),
 * or nothing at all: a reservation always belongs to an order that exists.
 */
export class Checkout {
  constructor(private readonly d: CheckoutDeps) {}

  /**
   * What the customer would pay, by either method (the checkout summary, docs/features.md §2.5), with a
   * voucher's discount on the subtotal when one is given (§3.3; checked, not yet held).
   */
  async quote(body: {
    userId: number;
    productId: number;
    quantity: number;
    voucherCode?: string;
  }): Promise<Quote> {
    const user = await this.activeUser(body.userId);
    const product = await this.d.catalog.product(body.productId, {
      role: priceRoleOf(user),
    });
    if (product.stock < body.quantity) {
      throw new Conflict(`only ${product.stock} of ${product.name} in stock`, ORDERS_REFUSAL.outOfStock, {
        available: product.stock,
        requested: body.quantity,
      });
    }
    const subtotal = product.price * body.quantity;
    const voucher = body.voucherCode ? await this.d.vouchers.check(body.voucherCode, user.id) : undefined;
    const voucherDiscount = Math.min(voucher?.amount ?? 0, subtotal);
    const toPay = subtotal - voucherDiscount;
    const fee = toPay > 0 ? qrisFee(toPay, this.d.feeModel) : 0;
    return {
      user,
      product,
      quote: {
        productId: product.id,
        productName: product.name,
        unitPrice: product.price,
        quantity: body.quantity,
        subtotal,
        voucherDiscount,
        qrisFee: fee,
        qrisTotal: toPay + fee,
        balanceTotal: toPay,
        balance: user.balance,
        qrisMinimum: QRIS_MIN_AMOUNT,
      },
    };
  }

  async purchase(body: CheckoutRequest): Promise<Order> {
    return this.once(body, 'purchase', () => this.newPurchase(body));
  }

  private async newPurchase(body: CheckoutRequest): Promise<Order> {
    const { user, product, quote } = await this.quote(body);
    const subtotal = quote.subtotal;
    const fee = body.paymentMethod === 'qris' ? quote.qrisFee : 0;
    if (body.paymentMethod === 'balance' && user.balance < quote.balanceTotal) {
      // §2.7: refused before anything is reserved or debited (the workflow checks again under lock).
      throw new Conflict('Saldo tidak mencukupi', ORDERS_REFUSAL.insufficientBalance, {
        balance: user.balance,
        required: quote.balanceTotal,
      });
    }
    if (body.paymentMethod === 'qris' && quote.qrisTotal === 0) {
      // Pakasir cannot collect Rp0: a voucher worth the whole order is used with the balance method.
      throw new Conflict('nothing to pay by QRIS', ORDERS_REFUSAL.nothingToPay);
    }
    if (body.paymentMethod === 'qris') refuseBelowQrisMinimum(quote.balanceTotal);
    const order = await this.underNewInvoiceId((invoiceId) =>
      this.create(user, invoiceId, {
        kind: 'purchase',
        subtotal,
        voucherDiscount: quote.voucherDiscount,
        voucherCode: body.voucherCode,
        requestKey: body.requestKey,
        paymentFee: fee,
        paymentMethod: body.paymentMethod,
        item: {
          productId: product.id,
          productName: product.name,
          quantity: body.quantity,
          pricePerUnit: product.price,
        },
      }),
    );
    await this.d.hold?.at('checkout.after-order-commit');
    // Reserved now, at checkout: a sold-out press is answered at once by this call, not later by a
    // workflow whose message waits in the rate-capped Telegram queue (a flash sale's 1,900 losers). The
    // workflow's reserveStock finds this reservation (idempotent by invoice id); if the relay's workflow
    // reserved first, this call finds its reservation. The id is this order's: its row is committed.
    try {
      await this.d.catalog.reserve({
        invoiceId: order.invoiceId,
        productId: product.id,
        quantity: body.quantity,
      });
    } catch (error) {
      await this.closeUnstarted(order, error);
      throw error;
    }
    await this.d.hold?.at('checkout.before-workflow-start');
    await this.startWorkflow(order);
    return order;
  }

  async deposit(body: DepositRequest): Promise<Order> {
    return this.once(body, 'deposit', () => this.newDeposit(body));
  }

  private async newDeposit(body: DepositRequest): Promise<Order> {
    const user = await this.activeUser(body.userId);
    refuseBelowQrisMinimum(body.amount);
    const fee = qrisFee(body.amount, this.d.feeModel);
    const order = await this.underNewInvoiceId((invoiceId) =>
      this.create(user, invoiceId, {
        kind: 'deposit',
        subtotal: body.amount,
        voucherDiscount: 0,
        paymentFee: fee,
        paymentMethod: 'qris',
        requestKey: body.requestKey,
      }),
    );
    await this.d.hold?.at('checkout.before-workflow-start');
    await this.startWorkflow(order);
    return order;
  }

  /**
   * One order per request key (the Telegram update that asked): a repeat answers the order its key made
   * and does nothing else (no reservation, no replaced invoice, no workflow). Two at the same moment both
   * pass the lookup; the unique index on the key lets one order in, and the other, which gave back what it
   * held when its insert failed, answers that one.
   */
  private async once(
    body: { userId: number; requestKey?: string },
    kind: Order['kind'],
    create: () => Promise<Order>,
  ): Promise<Order> {
    const key = body.requestKey;
    if (key === undefined) return create();
    const made = async () => {
      const order = await this.d.orders.byRequestKey(key);
      if (order && (order.userId !== body.userId || order.kind !== kind))
        throw new Conflict('this request key made another order', ORDERS_REFUSAL.requestKeyReused);
      return order;
    };
    const earlier = await made();
    if (earlier) return earlier;
    try {
      return await create();
    } catch (error) {
      const winner = requestKeyTaken(error) ? await made() : undefined;
      if (!winner) throw error;
      return winner;
    }
  }

  /**
   * Runs `attempt` under a newly drawn invoice id, drawing again when that id turns out to be another
   * order's: a clash among 36^6 ids a day is rare, but it must cost neither the customer nor the order
   * that has the id. Nothing is reserved before the order is committed, so a clash holds nothing.
   */
  private async underNewInvoiceId(attempt: (invoiceId: string) => Promise<Order>): Promise<Order> {
    for (let draw = 1; ; draw++) {
      try {
        return await attempt(newInvoiceId());
      } catch (error) {
        if (draw >= INVOICE_ID_DRAWS || !invoiceIdTaken(error)) throw error;
      }
    }
  }

  private async activeUser(userId: number): Promise<User> {
    const user = await this.d.users.get(userId);
    if (user.isBanned) throw new Conflict('this account is blocked', ORDERS_REFUSAL.userBanned);
    return user;
  }

  /**
   * Inserts the order, the start of its workflow, and holds its voucher in one transaction; replaces the
   * user's pending QRIS invoice if this one is QRIS too (its cancel is written in the same transaction,
   * so a crash cannot leave two pending).
   */
  private async create(
    user: User,
    invoiceId: string,
    { voucherCode, ...o }: Omit<NewOrder, 'invoiceId' | 'userId'> & { voucherCode?: string },
  ): Promise<Order> {
    const replaced = await this.d.sequelize.transaction(async (t) => {
      // The user's row lock serialises two checkouts of one customer, so only one QRIS stays pending.
      await this.d.sequelize.query('SELECT 1 FROM orders.users WHERE id = :id FOR UPDATE', {
        replacements: { id: user.id },
        transaction: t,
      });
      const previous = o.paymentMethod === 'qris' ? await this.d.orders.pendingQris(user.id, t) : [];
      if (voucherCode) {
        // Checked again under the voucher's row lock: the quote's answer may be stale by now.
        const amount = await this.d.vouchers.hold(voucherCode, user.id, invoiceId, t);
        if (Math.min(amount, o.subtotal) !== o.voucherDiscount)
          throw new Conflict('voucher changed', ORDERS_REFUSAL.voucherInvalid);
      }
      await this.d.orders.create({ ...o, invoiceId, userId: user.id }, t);
      await this.d.starts.add(invoiceId, t);
      for (const old of previous) await this.d.starts.addCancel(old.invoiceId, 'replaced', t);
      await this.d.hold?.at('checkout.before-order-commit');
      return previous;
    });
    for (const old of replaced) await this.dispatch(old.invoiceId, 'cancel the replaced invoice');
    return this.d.orders.get(invoiceId);
  }

  /**
   * Starts the order's workflow now. If Temporal does not answer in time the customer is not kept
   * waiting: the order is answered pending and the relay starts its workflow (its QR comes then).
   */
  private async startWorkflow(order: Order): Promise<void> {
    await this.dispatch(order.invoiceId, 'start the payment workflow');
  }

  private async dispatch(invoiceId: string, what: string): Promise<void> {
    await this.d.starts
      .dispatch(invoiceId)
      .catch((error: Error) =>
        this.d.logger.warn(`could not ${what} yet; the relay will`, { invoiceId, error }),
      );
  }

  /**
   * The reservation was refused (out of stock) or its answer lost: the order is closed before its
   * workflow ever starts (its voucher given back) and whatever an unanswered call may have reserved is
   * released; if that release fails too, the reservation sweep releases it, as its order is closed. If
   * the order cannot be closed, it stays pending with its start in the outbox: its workflow reserves
   * (finding what this call may have reserved) or tells the customer it is sold out.
   */
  private async closeUnstarted(order: Order, error: unknown): Promise<void> {
    try {
      await this.d.orders.transition(order.invoiceId, 'failed', 'system');
    } catch (e) {
      this.d.logger.warn('could not close an order whose stock was not reserved', {
        invoiceId: order.invoiceId,
        error: e,
      });
      return;
    }
    // Only saves the relay a round: it drops the start of a closed order itself.
    await this.d.starts.discard(order.invoiceId).catch(() => undefined);
    const refused = error instanceof DomainError && !(error instanceof Upstream);
    if (refused) return;
    await this.d.catalog.release(order.invoiceId).catch((e: Error) =>
      this.d.logger.warn('could not release a reservation; the sweep will', {
        invoiceId: order.invoiceId,
        error: e,
      }),
    );
  }
}
