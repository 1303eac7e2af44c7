import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { paymentReceived, redeliver, statusQuery } from '@quickcart/workflow-api';
import { depositOf, purchaseOf, startDeposit, startPurchase, until } from './checkouts';
import { fakeWorld, type FakeWorld } from './fake-world';
import { withWorkers } from './payment-env';
import { timeSkippingEnv } from './temporal';

// Issue 11, defect 2: a message Telegram refuses (a customer who blocked the bot, a whitelisted group
// answering 400) is recorded and passed over; it never fails a payment nor stops a money step.

const USER = 7011;
const ADMIN = 1;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

/** The customer pays in the moment Pakasir is told to cancel, so the invoice closes paid. */
function payWhileClosing(world: FakeWorld, also: () => void = () => {}) {
  const cancel = world.payments.cancelQrisInvoice;
  world.payments.cancelQrisInvoice = async (a) => {
    world.pay(a.invoiceId);
    also();
    return cancel(a);
  };
}

describe('closing an unpaid invoice when Telegram refuses', () => {
  it('still refunds a payment that landed while closing when the customer blocked the bot', async () => {
    const world = fakeWorld({ stock: 5 });
    payWhileClosing(world, () => world.blocked.add(USER));
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) =>
      (await startPurchase(env, world, tq, i)).result(),
    );
    expect(result).toEqual({ status: 'expired', refunded: 60_000 });
    expect(world.ledger()).toEqual([{ userId: USER, delta: 60_000, reason: 'late_payment' }]);
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('expired');
    expect(world.seenBy(ADMIN)).toContain('admin.late_payment');
  });

  it('still refunds it when the whitelisted group answers 400 to every admin notice', async () => {
    const world = fakeWorld({ stock: 5 });
    world.refuse('notifyAdmins', 99);
    payWhileClosing(world);
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) =>
      (await startPurchase(env, world, tq, i)).result(),
    );
    expect(result).toEqual({ status: 'expired', refunded: 60_000 });
    expect(world.balance).toBe(60_000);
    // The refund and its notice come first; the QR becoming the expiry notice after.
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'late_payment.refunded', 'edit:invoice.expired']);
  });

  it('moves the money before any message: cancel, release, close, last check and refund, then Telegram', async () => {
    const world = fakeWorld({ stock: 5 });
    payWhileClosing(world);
    const i = purchaseOf(USER);
    await withWorkers(env, world, async (tq) => (await startPurchase(env, world, tq, i)).result());
    const closing = world.trail.slice(world.trail.indexOf('cancelQrisInvoice'));
    // A notice for the admins' digest is a message too, whichever worker queue carries it.
    const isMessage = (name: string) => name in world.messages || name === 'digestAdminNotice';
    const lastMoneyStep = closing.length - 1 - [...closing].reverse().findIndex((name) => !isMessage(name));
    const firstMessage = closing.findIndex(isMessage);
    expect(closing.slice(0, 4)).toEqual(['cancelQrisInvoice', 'releaseStock', 'markOrder', 'paymentStatus']);
    expect(world.ledger()).toEqual([{ userId: USER, delta: 60_000, reason: 'late_payment' }]);
    expect(lastMoneyStep).toBeLessThan(firstMessage);
  });

  it('expires a deposit whose customer blocked the bot instead of failing it', async () => {
    const world = fakeWorld();
    const i = depositOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startDeposit(env, world, tq, i);
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      world.blocked.add(USER);
      return h.result();
    });
    expect(result).toEqual({ status: 'expired' });
    expect(world.order(i.invoiceId)).toBe('expired');
    expect(world.seenBy(ADMIN)).toEqual(['admin.deposit_expired']);
  });
});

describe('a paid order when Telegram refuses', () => {
  it('credits a deposit and ends credited though the customer blocked the bot before the notice', async () => {
    const world = fakeWorld();
    const i = depositOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startDeposit(env, world, tq, i);
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      world.blocked.add(USER);
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result).toEqual({ status: 'credited' });
    expect(world.balance).toBe(50_000);
    expect(world.seenBy(ADMIN)).toEqual(['admin.deposit_paid']);
  });

  it('ends delivered when the admins cannot be told of the sale', async () => {
    const world = fakeWorld();
    world.refuse('notifyAdmins', 99);
    world.behaviour.payOnCreate = true;
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) =>
      (await startPurchase(env, world, tq, i)).result(),
    );
    expect(result).toEqual({ status: 'delivered' });
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:purchase.delivered']);
  });

  it('keeps a delivery parked as delivery_failed when the admins cannot be told of it either', async () => {
    const world = fakeWorld();
    world.refuse('notifyAdmins', 99);
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      world.blocked.add(USER);
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      await until(() => world.trail.includes('notifyAdmins'), 'the refused failure notice');
      expect(await h.query(statusQuery)).toBe('delivery_failed');
      world.blocked.delete(USER);
      await h.signal(redeliver);
      return h.result();
    });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.order(i.invoiceId)).toBe('paid');
  });
});

describe('a refusal before any payment', () => {
  it('fails an out-of-stock order cleanly though the customer blocked the bot', async () => {
    const world = fakeWorld({ stock: 1 });
    world.blocked.add(USER);
    const i = purchaseOf(USER, { quantity: 2 });
    const result = await withWorkers(env, world, async (tq) =>
      (await startPurchase(env, world, tq, i)).result(),
    );
    expect(result).toEqual({ status: 'failed' });
    expect(world.order(i.invoiceId)).toBe('failed');
  });
});

describe('a notice Telegram keeps answering 429 (a busy admin chat)', () => {
  // Found by the full chaos run: more paid orders a second than one admin chat may receive kept every
  // admin notice retrying for minutes, and the workflows (reconciliation's refunds too) waited on them.
  it('is given up after its bound and logged; the workflow refunds and finishes', async () => {
    const world = fakeWorld({ stock: 5 });
    world.messages.notifyAdmins = async () => {
      throw ApplicationFailure.create({ message: 'Too Many Requests: retry after 5', nextRetryDelay: '5s' });
    };
    payWhileClosing(world);
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) =>
      (await startPurchase(env, world, tq, i)).result(),
    );
    expect(result).toEqual({ status: 'expired', refunded: 60_000 });
    expect(world.ledger()).toEqual([{ userId: USER, delta: 60_000, reason: 'late_payment' }]);
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'late_payment.refunded', 'edit:invoice.expired']);
  });
});
