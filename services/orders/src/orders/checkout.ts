import type { CatalogClient } from '@quickcart/catalog/client';
import { PG, pgCode } from '@quickcart/db';
import { Conflict, DomainError, Upstream, type Logger } from '@quickcart/kit';
import { shownQr, type ShownQr } from '@quickcart/notify';
import { qrisFee, QRIS_MIN_AMOUNT, type QrisFeeModel } from '@quickcart/pakasir';
import type { Sequelize } from 'sequelize-typescript';
import {
  ORDERS_REFUSAL,
  type CheckoutAnswer,
  type CheckoutQuote,
  type CheckoutRequest,
  type DepositRequest,
  type OpenedOrder,
  type Order,
  type User,
} from '../contract';
import { priceRoleOf, type ProductDetail } from '@quickcart/catalog/contract';

type Quote = { user: User; product: ProductDetail; quote: CheckoutQuote };
import type { ShopWorkflows } from '../shop-workflows';
import type { Users } from '../users/users';
import type { Vouchers } from '../vouchers/vouchers';
import type { FaultHold } from './fault-hold';
import { newInvoiceId } from './invoice-id';
import type { OpeningRequest, OpeningSeal } from './opening-seal';
import { PressesInFlight, type PressClaim } from './presses-in-flight';
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
  workflows: ShopWorkflows;
  seal: OpeningSeal;
  vouchers: Vouchers;
  /** The quoted fee (QRIS_FEE_TIERS); Pakasir's answer to the create replaces it on the order. */
  feeModel: QrisFeeModel;
  /** How long a press waits for its run's answer at most (CHECKOUT_ANSWER_TIMEOUT): an older seal opens nothing. */
  timeoutMs: number;
  logger: Logger;
  /** Test only (QC_FAULT_HOLD): holds a step open so a crash test can kill the process inside it. */
  hold?: FaultHold;
}

/**
 * A customer's press, purchase or deposit, from the gateway to the QR (docs/architecture.md §3,
 * docs/features.md §2.5–2.7, §2.10). The payment run owns the purchase from the first press
 * (Update-with-Start): `purchase` and `deposit` check what can be checked cheaply (a sold-out press costs
 * no run), seal the press and start its run with the `open` update, whose answer (the QR, or why not)
 * is theirs. The run hands the seal back to `open`, which writes the order and reserves its stock. So an
 * order exists only inside its run, and a press Temporal does not answer in time leaves nothing behind.
 */
export class Checkout {
  private readonly inFlight = new PressesInFlight();

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

  async purchase(body: CheckoutRequest): Promise<CheckoutAnswer> {
    return this.once(body, 'purchase', async () => {
      // The cheap check: a sold-out press (a flash sale's losers) is answered here, before any run.
      // The reservation inside `open` stays the truth.
      const { user, product, quote } = await this.quote(body);
      this.refuseUnpayable(body.paymentMethod, user, quote);
      const claim = this.claimStock(product, body.quantity);
      // The claim ends with the press, whatever its answer.
      return this.press(
        'purchase',
        (invoiceId) => ({
          kind: 'purchase',
          invoiceId,
          userId: user.id,
          paymentMethod: body.paymentMethod,
          productId: body.productId,
          quantity: body.quantity,
          voucherCode: body.voucherCode,
          requestKey: body.requestKey,
          // A QRIS purchase's receipt is its QR, the gateway's reply to the press.
          ...(body.paymentMethod === 'balance' && body.pressMessageId !== undefined
            ? { pressMessageId: body.pressMessageId }
            : {}),
          sealedAt: Date.now(),
        }),
        body.paymentMethod === 'qris' ? quote.qrisTotal : quote.balanceTotal,
        claim,
      ).finally(() => claim.end());
    });
  }

  /**
   * The cheap check counts what presses in flight have claimed too (presses-in-flight.ts): items they
   * will reserve are not offered again, so a flash sale's losers are told "sold out" here, not by runs.
   */
  private claimStock(product: ProductDetail, quantity: number): PressClaim {
    const claim = this.inFlight.claim(product.id, quantity, product.stock);
    if (claim) return claim;
    const available = Math.max(0, product.stock - this.inFlight.unreserved(product.id));
    throw new Conflict(`only ${available} of ${product.name} not yet claimed`, ORDERS_REFUSAL.outOfStock, {
      available,
      requested: quantity,
    });
  }

  async deposit(body: DepositRequest): Promise<CheckoutAnswer> {
    return this.once(body, 'deposit', async () => {
      const user = await this.activeUser(body.userId);
      refuseBelowQrisMinimum(body.amount);
      return this.press(
        'deposit',
        (invoiceId) => ({
          kind: 'deposit',
          invoiceId,
          userId: user.id,
          paymentMethod: 'qris',
          amount: body.amount,
          requestKey: body.requestKey,
          sealedAt: Date.now(),
        }),
        body.amount + qrisFee(body.amount, this.d.feeModel),
      );
    });
  }

  /** What the quote already shows cannot be paid is refused before anything starts (§2.5, §2.7). */
  private refuseUnpayable(method: 'qris' | 'balance', user: User, quote: CheckoutQuote): void {
    if (method === 'balance' && user.balance < quote.balanceTotal) {
      throw new Conflict('Saldo tidak mencukupi', ORDERS_REFUSAL.insufficientBalance, {
        balance: user.balance,
        required: quote.balanceTotal,
      });
    }
    if (method === 'qris' && quote.qrisTotal === 0) {
      // Pakasir cannot collect Rp0: a voucher worth the whole order is used with the balance method.
      throw new Conflict('nothing to pay by QRIS', ORDERS_REFUSAL.nothingToPay);
    }
    if (method === 'qris') refuseBelowQrisMinimum(quote.balanceTotal);
  }

  /**
   * Starts the press's payment run under a newly drawn invoice id and waits (CHECKOUT_TIMEOUT) for its
   * `open` answer. An id another order or run has is drawn again: a clash among 36^6 ids a day is rare,
   * but it must cost neither the customer nor the order that has it.
   */
  private async press(
    kind: Order['kind'],
    request: (invoiceId: string) => OpeningRequest,
    amount: number,
    claim?: PressClaim,
  ): Promise<CheckoutAnswer> {
    for (let draw = 1; ; draw++) {
      const opening = request(newInvoiceId());
      const { invoiceId } = opening;
      claim?.drawn(invoiceId);
      await this.d.hold?.at('checkout.before-workflow-start');
      const answer = await this.d.workflows.open(kind, invoiceId, this.d.seal.seal(opening), {
        userId: opening.userId,
        method: opening.paymentMethod,
        amount,
      });
      if (answer.kind === 'opened') {
        const qr = answer.qr ? shownQr.parse(answer.qr) : null;
        return { ...(await this.d.orders.get(invoiceId)), qr };
      }
      if (
        answer.kind === 'refused' &&
        answer.reason === ORDERS_REFUSAL.invoiceIdTaken &&
        draw < INVOICE_ID_DRAWS
      )
        continue;
      if (answer.kind === 'refused')
        throw new Conflict(`press refused: ${answer.reason}`, answer.reason ?? 'refused', answer.details);
      // The run failed after opening: it gives back what it held and tells the customer itself.
      throw new Conflict(`payment ${invoiceId} failed while opening`, ORDERS_REFUSAL.paymentFailed, {
        invoiceId,
      });
    }
  }

  /**
   * One order per request key (the Telegram update that asked): a repeat answers the order its key made,
   * with the QR its run showed, and does nothing else (no second run, no replaced invoice). Two at the
   * same moment both pass the lookup; the unique index on the key lets one order in, the other's run is
   * refused (`request_key_taken`, nothing kept) and that one is answered.
   */
  private async once(
    body: { userId: number; requestKey?: string },
    kind: Order['kind'],
    create: () => Promise<CheckoutAnswer>,
  ): Promise<CheckoutAnswer> {
    const key = body.requestKey;
    if (key === undefined) return create();
    const made = async (): Promise<CheckoutAnswer | undefined> => {
      const order = await this.d.orders.byRequestKey(key);
      if (!order) return undefined;
      if (order.userId !== body.userId || order.kind !== kind)
        throw new Conflict('this request key made another order', ORDERS_REFUSAL.requestKeyReused);
      return { ...order, qr: order.status === 'pending' ? await this.shownBefore(order) : null };
    };
    const earlier = await made();
    if (earlier) return earlier;
    try {
      return await create();
    } catch (error) {
      const lost = error instanceof Conflict && error.reason === ORDERS_REFUSAL.requestKeyTaken;
      const winner = lost ? await made() : undefined;
      if (!winner) throw error;
      return winner;
    }
  }

  /** The QR a pending order's run answered its press with, if the run can still be asked. */
  private async shownBefore(order: Order): Promise<ShownQr | null> {
    const answer = await this.d.workflows.opened(order).catch((error: Error) => {
      this.d.logger.warn('could not ask a payment run for its QR', { invoiceId: order.invoiceId, error });
      return null;
    });
    return answer?.qr ? shownQr.parse(answer.qr) : null;
  }

  private async activeUser(userId: number): Promise<User> {
    const user = await this.d.users.get(userId);
    if (user.isBanned) throw new Conflict('this account is blocked', ORDERS_REFUSAL.userBanned);
    return user;
  }

  /**
   * The payment run's first step (POST /orders/:inv/open, the worker only): the press as checkout sealed
   * it becomes the order, in one transaction (the order row, its voucher held, a balance purchase's debit,
   * the customer's other pending QRIS invoices found to be replaced), then its stock is reserved.
   * Everything is checked again here, under the locks: the quote may be stale. Idempotent by invoice id:
   * a retried open (its answer lost, orders restarted) finds its order and reserves again, which the
   * catalog answers with the same reservation. An open that finds no order after checkout stopped waiting
   * opens nothing, since the customer was told "busy".
   */
  async open(invoiceId: string, sealed: string): Promise<OpenedOrder> {
    const request = this.d.seal.open(sealed, invoiceId);
    let order = await this.d.orders.find(invoiceId);
    if (order && !madeBy(order, request))
      throw new Conflict(`invoice id ${invoiceId} is another order's`, ORDERS_REFUSAL.invoiceIdTaken);
    if (!order) {
      if (Date.now() - request.sealedAt > this.d.timeoutMs)
        throw new Conflict('checkout stopped waiting for this press', ORDERS_REFUSAL.checkoutGaveUp);
      order = await this.create(request);
    }
    if (order.status !== 'pending')
      throw new Conflict(`order ${invoiceId} is ${order.status}`, ORDERS_REFUSAL.orderClosed);
    await this.d.hold?.at('checkout.after-order-commit');
    if (order.kind === 'purchase') {
      await this.reserve(order);
      this.inFlight.reserved(invoiceId);
    }
    const { name } = await this.d.users.get(order.userId);
    const replaced = order.paymentMethod === 'qris' ? await this.d.orders.pendingQrisBefore(order) : [];
    return {
      order,
      userName: name,
      replaced: replaced.map((o) => ({ invoiceId: o.invoiceId, kind: o.kind })),
    };
  }

  /**
   * The order's stock, held for it by invoice id. Refused (sold out, product gone): the order closes
   * `failed` at once (a debit and a voucher given back with it) and the refusal is the run's answer. An
   * outage is thrown: the run's open is retried and the catalog answers the same reservation.
   */
  private async reserve(order: Order): Promise<void> {
    try {
      await this.d.catalog.reserve({
        invoiceId: order.invoiceId,
        productId: order.productId!,
        quantity: order.quantity!,
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error instanceof Upstream) throw error;
      await this.d.orders.transition(order.invoiceId, 'failed', 'system');
      throw error;
    }
  }

  /** The order of a sealed press, checked again as checkout did, under its locks. */
  private async create(request: OpeningRequest): Promise<Order> {
    if (request.kind === 'deposit') {
      const user = await this.activeUser(request.userId);
      const amount = request.amount!;
      refuseBelowQrisMinimum(amount);
      return this.write(user, request, {
        kind: 'deposit',
        subtotal: amount,
        voucherDiscount: 0,
        paymentFee: qrisFee(amount, this.d.feeModel),
        paymentMethod: 'qris',
        requestKey: request.requestKey,
      });
    }
    const { user, product, quote } = await this.quote({
      userId: request.userId,
      productId: request.productId!,
      quantity: request.quantity!,
      voucherCode: request.voucherCode,
    });
    this.refuseUnpayable(request.paymentMethod, user, quote);
    return this.write(user, request, {
      kind: 'purchase',
      subtotal: quote.subtotal,
      voucherDiscount: quote.voucherDiscount,
      voucherCode: request.voucherCode,
      requestKey: request.requestKey,
      pressMessageId: request.pressMessageId,
      paymentFee: request.paymentMethod === 'qris' ? quote.qrisFee : 0,
      paymentMethod: request.paymentMethod,
      item: {
        productId: product.id,
        productName: product.name,
        quantity: quote.quantity,
        pricePerUnit: product.price,
      },
    });
  }

  /**
   * Inserts the order and holds its voucher in one transaction, and takes a balance purchase's debit of
   * its stored total in the same one (not enough balance: nothing is written). The user's row lock
   * serialises two presses of one customer.
   */
  private async write(
    user: User,
    request: OpeningRequest,
    { voucherCode, ...o }: Omit<NewOrder, 'invoiceId' | 'userId'> & { voucherCode?: string },
  ): Promise<Order> {
    const { invoiceId } = request;
    try {
      await this.d.sequelize.transaction(async (t) => {
        await this.d.sequelize.query('SELECT 1 FROM orders.users WHERE id = :id FOR UPDATE', {
          replacements: { id: user.id },
          transaction: t,
        });
        if (voucherCode) {
          // Checked again under the voucher's row lock: the quote's answer may be stale by now.
          const amount = await this.d.vouchers.hold(voucherCode, user.id, invoiceId, t);
          if (Math.min(amount, o.subtotal) !== o.voucherDiscount)
            throw new Conflict('voucher changed', ORDERS_REFUSAL.voucherInvalid);
        }
        await this.d.orders.create({ ...o, invoiceId, userId: user.id }, t);
        if (o.paymentMethod === 'balance') await this.d.orders.debitWithin(invoiceId, t);
        await this.d.hold?.at('checkout.before-order-commit');
      });
    } catch (error) {
      if (requestKeyTaken(error))
        throw new Conflict('another press with this key made its order', ORDERS_REFUSAL.requestKeyTaken);
      if (invoiceIdTaken(error))
        throw new Conflict(`invoice id ${invoiceId} is another order's`, ORDERS_REFUSAL.invoiceIdTaken);
      throw error;
    }
    return this.d.orders.get(invoiceId);
  }
}

/** Whether a stored order is the one this sealed press opened (a retried open), not an id clash. */
function madeBy(order: Order, r: OpeningRequest): boolean {
  return (
    order.userId === r.userId &&
    order.kind === r.kind &&
    order.paymentMethod === r.paymentMethod &&
    (r.kind === 'deposit' || (order.productId === r.productId && order.quantity === r.quantity))
  );
}
