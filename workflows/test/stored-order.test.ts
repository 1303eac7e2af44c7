import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  type DepositInput,
  FAILURE,
  paymentReceived,
  type PurchaseInput,
  workflowIds,
} from '@quickcart/workflow-api';
import { depositOrderOf, fakeWorld, orderOf, type FakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

const USER = 7003;
const OTHER = 7999;
const TEN_MINUTES = 10 * 60_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

const newInvoiceId = () => unique('INV').replace(/-/g, '');
const timing = { paymentTimeoutMs: TEN_MINUTES, pollIntervalMs: 60_000 };

/** A pending QRIS purchase as orders stores it at checkout. */
function qrisPurchase(invoiceId = newInvoiceId()): PurchaseInput {
  return {
    ...timing,
    invoiceId,
    userId: USER,
    userName: 'Budi',
    productId: 101,
    productName: 'Netflix',
    quantity: 2,
    amount: 60_000,
    fee: 730,
    total: 60_730,
    paymentMethod: 'qris',
  };
}

/** A pending deposit as orders stores it. */
function qrisDeposit(invoiceId = newInvoiceId()): DepositInput {
  return { ...timing, invoiceId, userId: USER, userName: 'Budi', amount: 50_000, fee: 660, total: 50_660 };
}

/** What someone with access to Temporal sends instead: paid from the balance, nothing to pay. */
const forged = (real: PurchaseInput): PurchaseInput => ({
  ...real,
  userId: OTHER,
  quantity: 5,
  amount: 0,
  fee: 0,
  total: 0,
  paymentMethod: 'balance',
});

function start(
  type: 'purchase' | 'deposit' | 'latePayment',
  taskQueue: string,
  workflowId: string,
  input: object,
) {
  track(workflowId);
  return env.client.workflow.start(type, { taskQueue, workflowId, args: [input] });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const refused = { cause: { type: FAILURE.startRefused } };

function expectUntouched(world: FakeWorld, invoiceId: string, balance: number) {
  expect(world.reservation(invoiceId)).toBeUndefined();
  expect(world.pakasir(invoiceId)).toBeUndefined();
  expect(world.ledger()).toEqual([]);
  expect(world.balance).toBe(balance);
  expect(world.sent).toEqual([]);
}

describe('a purchase started by someone else', () => {
  it('does nothing under another workflow id: no stock, money or message, the run fails', async () => {
    const world = fakeWorld({ balance: 100_000 });
    const real = qrisPurchase();
    world.storeOrder(real.invoiceId, orderOf(real));
    await withWorkers(env, world, async (tq) => {
      const h = await start('purchase', tq, `forged-${real.invoiceId}`, forged(real));
      await expect(h.result()).rejects.toMatchObject(refused);
    });
    expect(world.calls).toEqual({}); // refused before even reading the order
    expect(world.order(real.invoiceId)).toBe('pending');
    expectUntouched(world, real.invoiceId, 100_000);
  });

  it('pays a pending QRIS order by QRIS, as stored, when its input says balance and Rp0', async () => {
    const world = fakeWorld({ balance: 100_000, stock: 10 });
    const real = qrisPurchase();
    world.storeOrder(real.invoiceId, orderOf(real));
    const result = await withWorkers(env, world, async (tq) => {
      const h = await start('purchase', tq, workflowIds.purchase(real.invoiceId), forged(real));
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      expect(world.pakasir(real.invoiceId)?.amount).toBe(60_000);
      world.pay(real.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.ledger()).toEqual([]); // nothing taken from the balance
    expect(world.balance).toBe(100_000);
    expect(world.available).toBe(8); // the stored 2, not the 5 asked for
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:purchase.delivered']);
    expect(world.sent.find((m) => m.template === 'purchase.delivered')?.data).toEqual({ quantity: 2 });
    expect(world.seenBy(OTHER)).toEqual([]);
  });

  it('debits a balance order its stored total when its input says Rp0', async () => {
    const world = fakeWorld({ balance: 100_000 });
    const real: PurchaseInput = { ...qrisPurchase(), paymentMethod: 'balance', fee: 0, total: 60_000 };
    world.storeOrder(real.invoiceId, orderOf(real));
    const result = await withWorkers(env, world, async (tq) =>
      (await start('purchase', tq, workflowIds.purchase(real.invoiceId), forged(real))).result(),
    );
    expect(result).toEqual({ status: 'delivered' });
    expect(world.ledger()).toEqual([{ userId: USER, delta: -60_000, reason: 'purchase' }]);
  });

  it('refuses an order that is no longer pending (a second run after delivery)', async () => {
    const world = fakeWorld({ balance: 100_000 });
    const real = qrisPurchase();
    world.storeOrder(real.invoiceId, { ...orderOf(real), status: 'paid' });
    await withWorkers(env, world, async (tq) => {
      const h = await start('purchase', tq, workflowIds.purchase(real.invoiceId), forged(real));
      await expect(h.result()).rejects.toMatchObject(refused);
    });
    expect(world.calls).toEqual({ loadPayment: 1 });
    expect(world.order(real.invoiceId)).toBe('paid');
    expectUntouched(world, real.invoiceId, 100_000);
  });

  it('refuses a deposit order started as a purchase, and a purchase order started as a deposit', async () => {
    const world = fakeWorld();
    const depositOrder: DepositInput = qrisDeposit();
    world.storeOrder(depositOrder.invoiceId, depositOrderOf(depositOrder));
    const purchaseOrder = qrisPurchase();
    world.storeOrder(purchaseOrder.invoiceId, orderOf(purchaseOrder));
    await withWorkers(env, world, async (tq) => {
      const asPurchase = await start(
        'purchase',
        tq,
        workflowIds.purchase(depositOrder.invoiceId),
        qrisPurchase(depositOrder.invoiceId),
      );
      await expect(asPurchase.result()).rejects.toMatchObject(refused);
      const asDeposit = await start(
        'deposit',
        tq,
        workflowIds.deposit(purchaseOrder.invoiceId),
        qrisDeposit(purchaseOrder.invoiceId),
      );
      await expect(asDeposit.result()).rejects.toMatchObject(refused);
    });
    expect(world.calls).toEqual({ loadPayment: 2 });
    expect(world.sent).toEqual([]);
    expect([world.order(depositOrder.invoiceId), world.order(purchaseOrder.invoiceId)]).toEqual([
      'pending',
      'pending',
    ]);
  });
});

describe('a deposit started by someone else', () => {
  it('credits the stored amount, not the one in its input', async () => {
    const world = fakeWorld();
    const real: DepositInput = qrisDeposit();
    world.storeOrder(real.invoiceId, depositOrderOf(real));
    const result = await withWorkers(env, world, async (tq) => {
      const lie = { ...real, userId: OTHER, amount: 5_000_000, fee: 0, total: 5_000_000 };
      const h = await start('deposit', tq, workflowIds.deposit(real.invoiceId), lie);
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      world.pay(real.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result).toEqual({ status: 'credited' });
    expect(world.pakasir(real.invoiceId)?.amount).toBe(50_000);
    expect(world.ledger()).toEqual([{ userId: USER, delta: 50_000, reason: 'deposit' }]);
    expect(world.seenBy(OTHER)).toEqual([]);
  });

  it('does nothing under another workflow id', async () => {
    const world = fakeWorld();
    const real: DepositInput = qrisDeposit();
    world.storeOrder(real.invoiceId, depositOrderOf(real));
    await withWorkers(env, world, async (tq) => {
      const h = await start('deposit', tq, `deposit-x-${real.invoiceId}`, real);
      await expect(h.result()).rejects.toMatchObject(refused);
    });
    expect(world.calls).toEqual({});
    expect(world.sent).toEqual([]);
  });
});

describe('a late-payment refund started by someone else', () => {
  /** Pakasir holds a completed payment for the invoice. */
  async function paidAtPakasir(world: FakeWorld, invoiceId: string, amount: number) {
    await world.payments.createQrisInvoice({ invoiceId, amount });
    world.pay(invoiceId);
  }

  it('refunds the stored customer the stored amount, whatever its input says', async () => {
    const world = fakeWorld();
    const real = qrisPurchase();
    world.storeOrder(real.invoiceId, { ...orderOf(real), status: 'expired' });
    await paidAtPakasir(world, real.invoiceId, real.amount);
    const result = await withWorkers(env, world, async (tq) => {
      const lie = { invoiceId: real.invoiceId, userId: OTHER, amount: 1_000_000 };
      return (await start('latePayment', tq, workflowIds.latePayment(real.invoiceId), lie)).result();
    });
    expect(result).toEqual({ status: 'refunded', refunded: 60_000 });
    expect(world.ledger()).toEqual([{ userId: USER, delta: 60_000, reason: 'late_payment' }]);
  });

  it('refunds nothing for a paid order: its goods were delivered', async () => {
    const world = fakeWorld();
    const real = qrisPurchase();
    world.storeOrder(real.invoiceId, { ...orderOf(real), status: 'paid' });
    await paidAtPakasir(world, real.invoiceId, real.amount);
    await withWorkers(env, world, async (tq) => {
      const args = { invoiceId: real.invoiceId, userId: USER, amount: real.amount };
      const h = await start('latePayment', tq, workflowIds.latePayment(real.invoiceId), args);
      await expect(h.result()).rejects.toMatchObject(refused);
    });
    expect(world.ledger()).toEqual([]);
    expect(world.sent).toEqual([]);
  });

  it('does nothing under another workflow id', async () => {
    const world = fakeWorld();
    const real = qrisPurchase();
    world.storeOrder(real.invoiceId, { ...orderOf(real), status: 'expired' });
    await paidAtPakasir(world, real.invoiceId, real.amount);
    await withWorkers(env, world, async (tq) => {
      const args = { invoiceId: real.invoiceId, userId: USER, amount: real.amount };
      const h = await start('latePayment', tq, `late2-${real.invoiceId}`, args);
      await expect(h.result()).rejects.toMatchObject(refused);
    });
    expect(world.ledger()).toEqual([]);
  });
});
