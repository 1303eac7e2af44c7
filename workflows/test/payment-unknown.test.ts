import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cancelPayment, paymentReceived, SA, statusQuery } from '@quickcart/workflow-api';
import { depositOf, purchaseOf, startDeposit, startPurchase, until } from './checkouts';
import { fakeWorld, type FakeWorld } from './fake-world';
import { withWorkers } from './payment-env';
import { timeSkippingEnv } from './temporal';

// Issue 11, defect 4: an answer from Pakasir that says neither "paid" nor "not paid" (a 4xx, a shape we
// cannot read) is unknown, never unpaid. After the payment window the order is parked for an operator as
// payment_unknown, holding its stock, and the workflow keeps asking until it knows.

const USER = 7013;
const ADMIN = 1;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

type Handle = Awaited<ReturnType<typeof startPurchase>>;

/** Lets the payment window pass (skipped time) and checks the order is parked, nothing given back. */
async function expectParked(world: FakeWorld, h: Handle, invoiceId: string) {
  await env.sleep('11 minutes');
  await until(
    () => world.order(invoiceId) === 'payment_unknown',
    () => `the parked order; it is ${world.order(invoiceId)}`,
  );
  await until(() => world.seenBy(ADMIN).includes('admin.payment_unknown'), 'the admins told');
  expect(await h.query(statusQuery)).toBe('payment_unknown');
  const attributes = (await h.describe()).typedSearchAttributes;
  expect(attributes.get(SA.OrderStatus)).toBe('payment_unknown');
  expect(world.pakasir(invoiceId)?.status).toBe('pending'); // not cancelled
  expect(world.calls.releaseStock).toBeUndefined();
  expect(world.seenBy(USER)).toEqual(['payment.qris']); // no expiry notice
}

describe('a purchase whose payment cannot be read', () => {
  it('is parked as payment_unknown, then delivered once Pakasir confirms it was paid', async () => {
    const world = fakeWorld({ stock: 5 });
    world.behaviour.pakasirUnknown = true;
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await expectParked(world, h, i.invoiceId);
      world.behaviour.pakasirUnknown = false;
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'operator' });
      return h.result();
    });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.order(i.invoiceId)).toBe('paid');
    expect(world.reservation(i.invoiceId)?.status).toBe('committed');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:purchase.delivered']);
  });

  it('closes as expired when a slow poll later finds it unpaid', async () => {
    const world = fakeWorld({ stock: 5 });
    world.behaviour.pakasirUnknown = true;
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await expectParked(world, h, i.invoiceId);
      world.behaviour.pakasirUnknown = false; // Pakasir answers again: still pending
      return h.result();
    });
    expect(result).toEqual({ status: 'expired' });
    expect(world.order(i.invoiceId)).toBe('expired');
    expect(world.available).toBe(5);
    expect(world.pakasir(i.invoiceId)?.status).toBe('canceled');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:invoice.expired']);
  });

  it('closes as cancelled, with the last check, when an operator decides it is unpaid', async () => {
    const world = fakeWorld({ stock: 5 });
    world.behaviour.pakasirUnknown = true;
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await expectParked(world, h, i.invoiceId);
      world.behaviour.pakasirUnknown = false;
      await h.signal(cancelPayment, { reason: 'operator' });
      return h.result();
    });
    expect(result).toEqual({ status: 'cancelled' });
    expect(world.order(i.invoiceId)).toBe('cancelled');
    expect(world.available).toBe(5);
  });

  it('asks Pakasir at a slow pace for two days, then waits for a signal only', async () => {
    const world = fakeWorld({ stock: 5 });
    world.behaviour.pakasirUnknown = true;
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await expectParked(world, h, i.invoiceId);
      const inWindow = world.calls.paymentStatus ?? 0;
      await env.sleep('49 hours');
      const parkedChecks = (world.calls.paymentStatus ?? 0) - inWindow;
      expect(parkedChecks).toBeGreaterThanOrEqual(280); // about every 10 minutes for 48 hours
      expect(parkedChecks).toBeLessThanOrEqual(300);
      await env.sleep('10 days');
      expect((world.calls.paymentStatus ?? 0) - inWindow).toBe(parkedChecks); // no more polling
      expect(await h.query(statusQuery)).toBe('payment_unknown');
      world.behaviour.pakasirUnknown = false;
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'operator' });
      return h.result();
    });
    expect(result).toEqual({ status: 'delivered' });
  });

  it('parks instead of cancelling when the customer cancels while the answer is unknown', async () => {
    const world = fakeWorld({ stock: 5 });
    world.behaviour.pakasirUnknown = true;
    const i = purchaseOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      await h.signal(cancelPayment, { reason: 'customer' });
      await until(() => world.seenBy(ADMIN).includes('admin.payment_unknown'), 'the parked order');
      expect(await h.query(statusQuery)).toBe('payment_unknown');
      expect(world.order(i.invoiceId)).toBe('payment_unknown');
      expect(world.available).toBe(3);
      // The customer's cancel did not decide it; an operator's, after parking, does.
      world.behaviour.pakasirUnknown = false;
      await h.signal(cancelPayment, { reason: 'operator' });
      return h.result();
    });
    expect(result).toEqual({ status: 'cancelled' });
    expect(world.available).toBe(5);
  });
});

describe('a deposit whose payment cannot be read', () => {
  it('is parked, then credited once Pakasir confirms it', async () => {
    const world = fakeWorld();
    world.behaviour.pakasirUnknown = true;
    const i = depositOf(USER);
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startDeposit(env, world, tq, i);
      await env.sleep('11 minutes');
      await until(() => world.order(i.invoiceId) === 'payment_unknown', 'the parked order');
      expect(world.balance).toBe(0);
      world.behaviour.pakasirUnknown = false;
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'operator' });
      return h.result();
    });
    expect(result).toEqual({ status: 'credited' });
    expect(world.balance).toBe(50_000);
    expect(world.order(i.invoiceId)).toBe('paid');
  });
});
