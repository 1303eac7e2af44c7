import type { ReplyWatch } from '../../bench/dist/customer';
import { Customer } from '../../bench/dist/customer';
import { Shopper } from '../../bench/dist/shopper';
import { pay, pickWebhookFault } from './payments';
import { retrying, type RunState } from './run-state';
import { sleep, type Random } from './settings';

/**
 * A customer who buys through the bot's buttons (product → summary → QRIS), pays with a webhook fault
 * now and then, and sometimes blocks the bot while their order is open (the goods cannot be shown; the
 * order must still be paid and its stock sold). Every QRIS press is counted: one press, one order at most.
 */
export async function botCustomer(s: RunState, watch: ReplyWatch, id: number, rng: Random): Promise<void> {
  const { c, tally } = s;
  await retrying(() => c.orders.upsertUser({ id, name: `Chaos bot ${id}` }), 20);
  // Every QRIS press is counted, a press again after "busy" too: one press, one order at most.
  const shopper = new Shopper(new Customer(c.telegram, watch, id), c.pakasir, '', 20_000, () =>
    s.presses.set(id, (s.presses.get(id) ?? 0) + 1),
  );
  while (Date.now() < s.until) {
    try {
      const summary = await shopper.toSummary(rng.pick(s.shop.products));
      const { found } = await shopper.pressQris(summary);
      tally.add('purchases');
      tally.add('purchases_bot');
      if (found.kind === 'qr') {
        const blocks = rng.chance(0.15);
        if (blocks) {
          c.telegram.block(id);
          tally.add('faults_telegram_customer_blocked_bot');
        }
        await sleep(rng.int(200, 2_000));
        if (rng.chance(0.85)) pay(c, found.invoiceId, pickWebhookFault(rng), { tally, paid: s.paid, rng });
        if (blocks) {
          await sleep(rng.int(3_000, 8_000));
          c.telegram.unblock(id);
        }
      }
    } catch {
      // The bot did not answer in time (a process down, a 429 storm): the customer tries again.
      tally.add('bot_customer_timeouts');
    }
    await sleep(rng.int(500, 2_500));
  }
}
