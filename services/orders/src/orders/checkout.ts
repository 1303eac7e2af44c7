import type { CatalogClient } from '@quickcart/catalog/client';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, Upstream, type Logger } from '@quickcart/kit';
import { qrisFee, type QrisFeeRate } from '@quickcart/pakasir';
import type { PaymentTiming } from '@quickcart/workflows/shared';
import type { Sequelize } from 'sequelize-typescript';
import type { CheckoutQuote, CheckoutRequest, Order, User } from '../contract';
import type { ProductDetail } from '@quickcart/catalog/contract';

type Quote = { user: User; product: ProductDetail; quote: CheckoutQuote };
import type { PaymentWorkflows } from '../payments/payment-workflows';
import type { Users } from '../users/users';
import type { Vouchers } from '../vouchers/vouchers';
import { newInvoiceId } from './invoice-id';
import type { NewOrder, OrderStore } from './order-store';

const INVOICE_ID_DRAWS = 3;

/** The drawn id is another invoice's: catalog holds a reservation under it, or orders an order. */
const invoiceIdTaken = (error: unknown): boolean =>
  (error instanceof Conflict && error.reason === 'invoice_taken') ||
  (pgCode(error) === PG.uniqueViolation &&
    (error as { parent?: { constraint?: string } }).parent?.constraint === 'orders_invoice_id_key');

export interface CheckoutDeps {
  sequelize: Sequelize;
  users: Users;
  orders: OrderStore;
  catalog: CatalogClient;
  workflows: PaymentWorkflows;
  vouchers: Vouchers;
  feeRate: QrisFeeRate;
  timing: PaymentTiming;
  logger: Logger;
}

/**
 * Creates an order with its price snapshot and starts its workflow (FEATURES.md §2.5–2.7, §2.10).
 * A customer has at most one pending QRIS invoice: a new checkout or deposit cancels the previous one
 * (its workflow releases the stock), never asking the customer to cancel first (§8.3).
 */
export class Checkout {
  constructor(private readonly d: CheckoutDeps) {}

  /**
   * What the customer would pay, by either method (the checkout summary, FEATURES.md §2.5), with a
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
      role: user.role === 'reseller' ? 'reseller' : 'customer',
    });
    if (product.stock < body.quantity) {
      throw new Conflict(`only ${product.stock} of ${product.name} in stock`, 'out_of_stock', {
        available: product.stock,
        requested: body.quantity,
      });
    }
    const subtotal = product.price * body.quantity;
    const voucher = body.voucherCode ? await this.d.vouchers.check(body.voucherCode, user.id) : undefined;
    const voucherDiscount = Math.min(voucher?.amount ?? 0, subtotal);
    const toPay = subtotal - voucherDiscount;
    const fee = toPay > 0 ? qrisFee(toPay, this.d.feeRate) : 0;
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
      },
    };
  }

  async purchase(body: CheckoutRequest): Promise<Order> {
    const { user, product, quote } = await this.quote(body);
    const subtotal = quote.subtotal;
    const fee = body.paymentMethod === 'qris' ? quote.qrisFee : 0;
    if (body.paymentMethod === 'balance' && user.balance < quote.balanceTotal) {
      // §2.7: refused before anything is reserved or debited (the workflow checks again under lock).
      throw new Conflict('Saldo tidak mencukupi', 'insufficient_balance', {
        balance: user.balance,
        required: quote.balanceTotal,
      });
    }
    if (body.paymentMethod === 'qris' && quote.qrisTotal === 0) {
      // Pakasir cannot collect Rp0: a voucher worth the whole order is used with the balance method.
      throw new Conflict('nothing to pay by QRIS', 'nothing_to_pay');
    }
    // Reserved now, before the order exists: a sold-out press is answered at once by this call, not
    // later by a workflow whose message waits in the rate-capped Telegram queue (a flash sale's 1,900
    // losers). The workflow's reserveStock finds this reservation (idempotent by invoice id). `fresh`:
    // an id another invoice already reserved under is refused, so what this call reserved (and may have
    // to release) is only ever its own.
    const order = await this.underNewInvoiceId(async (invoiceId) => {
      await this.d.catalog.reserve({
        invoiceId,
        productId: product.id,
        quantity: body.quantity,
        fresh: true,
      });
      return this.create(user, invoiceId, {
        kind: 'purchase',
        subtotal,
        voucherDiscount: quote.voucherDiscount,
        voucherCode: body.voucherCode,
        paymentFee: fee,
        paymentMethod: body.paymentMethod,
        item: {
          productId: product.id,
          productName: product.name,
          quantity: body.quantity,
          pricePerUnit: product.price,
        },
      });
    });
    await this.start(order, () =>
      this.d.workflows.startPurchase({
        ...this.d.timing,
        invoiceId: order.invoiceId,
        userId: user.id,
        userName: user.name,
        productId: product.id,
        productName: product.name,
        quantity: body.quantity,
        amount: order.amount,
        fee: order.paymentFee,
        total: order.total,
        paymentMethod: order.paymentMethod,
      }),
    );
    return order;
  }

  async deposit(body: { userId: number; amount: number }): Promise<Order> {
    const user = await this.activeUser(body.userId);
    const fee = qrisFee(body.amount, this.d.feeRate);
    const order = await this.underNewInvoiceId((invoiceId) =>
      this.create(user, invoiceId, {
        kind: 'deposit',
        subtotal: body.amount,
        voucherDiscount: 0,
        paymentFee: fee,
        paymentMethod: 'qris',
      }),
    );
    await this.start(order, () =>
      this.d.workflows.startDeposit({
        ...this.d.timing,
        invoiceId: order.invoiceId,
        userId: user.id,
        userName: user.name,
        amount: body.amount,
        fee,
        total: order.total,
      }),
    );
    return order;
  }

  /**
   * Runs `attempt` under a newly drawn invoice id, drawing again when that id turns out to be taken
   * (by a reservation or an order): a clash among 36^6 ids a day is rare, but it must cost neither the
   * customer nor the order that has the id.
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
    if (user.isBanned) throw new Conflict('this account is blocked', 'user_banned');
    return user;
  }

  /**
   * Inserts the order and holds its voucher in one transaction; replaces the user's pending QRIS
   * invoice if this one is QRIS too.
   */
  private async create(
    user: User,
    invoiceId: string,
    { voucherCode, ...o }: Omit<NewOrder, 'invoiceId' | 'userId'> & { voucherCode?: string },
  ): Promise<Order> {
    const replaced = await this.d.sequelize
      .transaction(async (t) => {
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
            throw new Conflict('voucher changed', 'voucher_invalid');
        }
        await this.d.orders.create({ ...o, invoiceId, userId: user.id }, t);
        return previous;
      })
      .catch(async (error) => {
        // No order, so no workflow will ever release what this call reserved for it (only its own:
        // the reservation was made `fresh`).
        if (o.kind === 'purchase') await this.releaseStock(invoiceId);
        throw error;
      });
    for (const old of replaced) {
      const signalled = await this.d.workflows.cancel(old, 'replaced').catch(() => false);
      if (!signalled)
        this.d.logger.warn('could not cancel the replaced invoice', {
          invoiceId: old.invoiceId,
          userId: user.id,
        });
    }
    return this.d.orders.get(invoiceId);
  }

  /**
   * Best effort, after a failure: if the catalog cannot be reached either, the warning names the
   * invoice whose reservation an operator releases (POST /reservations/:inv/release).
   */
  private async releaseStock(invoiceId: string): Promise<void> {
    await this.d.catalog
      .release(invoiceId)
      .catch((error: Error) =>
        this.d.logger.warn('could not release a reservation', { invoiceId, error: error.message }),
      );
  }

  private async start(order: Order, start: () => Promise<void>): Promise<void> {
    try {
      await start();
    } catch (error) {
      // Without its workflow the order can never be paid: close it and put its stock back.
      await this.d.orders.transition(order.invoiceId, 'failed', 'system');
      if (order.kind === 'purchase') await this.releaseStock(order.invoiceId);
      this.d.logger.error('could not start the payment workflow', {
        invoiceId: order.invoiceId,
        error: (error as Error).message,
      });
      throw new Upstream('the payment could not be started, try again', true, 'workflow_start');
    }
  }
}
