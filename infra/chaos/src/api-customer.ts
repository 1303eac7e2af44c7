import type { Order } from '@quickcart/orders/contract';
import { pay, pickWebhookFault } from './payments';
import { retrying, type RunState } from './run-state';
import { sleep, type Random } from './settings';

type Plan =
  'pays' | 'pays_late' | 'pays_after_close' | 'never_pays' | 'cancels' | 'qr_answer_lost_then_blocks';

/**
 * A customer who buys through the orders API as the gateway would: QRIS and balance purchases (some
 * with a voucher), deposits; pays at once, late, after the order closed, never, or cancels. Every
 * request is "pressed" twice with one request key, and retried with it while a process is down.
 */
export async function apiCustomer(s: RunState, id: number, rng: Random): Promise<void> {
  const { c, tally } = s;
  c.telegram.user({ id, firstName: `Chaos ${id}` }); // the bot writes to them: QR, goods, notices
  await retrying(() => c.orders.upsertUser({ id, name: `Chaos ${id}` }), 20);
  while (Date.now() < s.until) {
    const action = rng.weighted({ qris: 5, balance: 2, deposit: 2 });
    try {
      if (action === 'deposit') {
        const amount = rng.pick([10_000, 20_000, 50_000]);
        const order = await pressTwice(s, `dep:${id}:${rng.int(0, 1e9)}`, (requestKey) =>
          c.orders.deposit({ userId: id, amount, requestKey }),
        );
        tally.add('deposits');
        await settle(s, order, rng);
      } else {
        const productId = rng.pick(s.shop.products);
        const voucherCode = rng.chance(0.2) ? s.shop.vouchers.pop() : undefined;
        if (voucherCode) tally.add('vouchers_applied');
        const order = await pressTwice(s, `buy:${id}:${rng.int(0, 1e9)}`, (requestKey) =>
          c.orders.checkout({
            userId: id,
            productId,
            quantity: rng.int(1, 2),
            paymentMethod: action === 'qris' ? 'qris' : 'balance',
            voucherCode,
            requestKey,
          }),
        );
        tally.add('purchases');
        tally.add(`purchases_${action}`);
        if (action === 'qris') await settle(s, order, rng);
      }
    } catch (error) {
      tally.add(`customer_refused_${(error as { reason?: string }).reason ?? 'error'}`);
    }
    await sleep(rng.int(200, 2_000));
  }
}

/** One press, delivered twice at once (a double tap, a redelivered update): one order, same answer. */
async function pressTwice(
  s: RunState,
  requestKey: string,
  send: (key: string) => Promise<Order>,
): Promise<Order> {
  const [a, b] = await Promise.allSettled([
    retrying(() => send(requestKey)),
    retrying(() => send(requestKey)),
  ]);
  if (a.status === 'fulfilled' && b.status === 'fulfilled' && a.value.invoiceId !== b.value.invoiceId) {
    s.violations.push({
      invariant: 'one_press_one_order',
      subject: requestKey,
      detail: `one request key made ${a.value.invoiceId} and ${b.value.invoiceId}`,
    });
  }
  if (a.status === 'fulfilled') return a.value;
  if (b.status === 'fulfilled') return b.value;
  throw a.reason;
}

/** What the customer does with an open QRIS invoice. */
async function settle(s: RunState, order: Order, rng: Random): Promise<void> {
  const { c, tally } = s;
  const invoiceId = order.invoiceId;
  const plan = rng.weighted<Plan>({
    pays: 6,
    pays_late: 1,
    pays_after_close: 1,
    never_pays: 1,
    cancels: 1,
    qr_answer_lost_then_blocks: 0.5,
  });
  tally.add(`customers_${plan}`);
  if (plan === 'qr_answer_lost_then_blocks') return qrAnswerLostThenBlocks(s, invoiceId, rng);
  // The workflow opens the Pakasir invoice after the order: wait for it (Pakasir may be failing).
  const opened = Date.now();
  while (!c.pakasir.transaction(invoiceId) && Date.now() - opened < s.paymentWindowMs) await sleep(300);
  if (!c.pakasir.transaction(invoiceId)) return;
  const payNow = () => pay(c, invoiceId, pickWebhookFault(rng), { tally, paid: s.paid, rng });
  switch (plan) {
    case 'pays':
      await sleep(rng.int(100, 3_000));
      payNow();
      return;
    case 'pays_late':
      await sleep(rng.int(Math.floor(s.paymentWindowMs * 0.6), Math.floor(s.paymentWindowMs * 1.2)));
      payNow();
      return;
    case 'never_pays':
      return;
    case 'cancels':
      await retrying(() => c.orders.cancel(invoiceId)).catch(() => tally.add('cancels_refused'));
      tally.add('cancels');
      if (rng.chance(0.5)) return;
      break;
    case 'pays_after_close':
      // Pakasir's cancel is not confirmed to work (docs/features.md §6): it may leave the invoice payable.
      c.pakasir.faults.set({ failCancel: c.pakasir.faults.get().failCancel + 3 });
      tally.add('faults_pakasir_cancel_lost');
      break;
  }
  await closed(s, invoiceId);
  if (payNow()) tally.add('faults_payment_after_close');
}

async function closed(s: RunState, invoiceId: string): Promise<void> {
  const end = Date.now() + s.paymentWindowMs * 2;
  while (Date.now() < end) {
    const o = await s.c.orders.order(invoiceId).catch(() => undefined);
    if (o && o.status !== 'pending') return;
    await sleep(1_000);
  }
}

/**
 * Telegram shows the QR but its answer to the bot is lost (a 502 after the fact); before the bot's retry
 * the customer blocks the bot, so the retry is refused (403). The customer has the QR and pays at once.
 */
async function qrAnswerLostThenBlocks(s: RunState, invoiceId: string, rng: Random): Promise<void> {
  const { c, tally } = s;
  const userId = (await retrying(() => c.orders.order(invoiceId))).userId;
  c.telegram.failNext({ method: 'sendPhoto', chatId: userId, errorCode: 502, applied: true });
  const shown = () =>
    c.telegram.store
      .find(userId)
      ?.messages.some((m) => m.photo !== undefined && (m.caption ?? '').includes(invoiceId));
  const began = Date.now();
  while (!shown() && Date.now() - began < 15_000) await sleep(50);
  if (!shown()) return;
  c.telegram.block(userId);
  tally.add('faults_telegram_qr_answer_lost_then_blocked');
  pay(c, invoiceId, 'none', { tally, paid: s.paid, rng });
  await sleep(rng.int(3_000, 6_000));
  c.telegram.unblock(userId);
}
