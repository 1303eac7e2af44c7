import type { TelegramSandbox } from '@quickcart/sandbox';
import { FAILED_UPDATE, goodsLines, textOf } from './customer';
import type { Shop } from './shop';
import type { Delivery } from './shopper';

const INVOICE = /INV\d{6}[A-Z0-9]{6}/;

/**
 * The wrong results a benchmark must fail on, read from what customers saw and from catalog: an item
 * delivered twice, an invoice delivered twice, goods the bench saw that catalog did not sell (or the
 * reverse), more items sold than stocked, and updates the bot failed on.
 */
export async function verify(
  telegram: TelegramSandbox,
  customerIds: number[],
  shop: Shop,
  expected: { checkout: Delivery[]; flash: Delivery[]; flashItems: number },
): Promise<string[]> {
  const problems: string[] = [];
  const lines = new Map<string, number>();
  const successes = new Map<string, number>();
  let goodsMessages = 0;
  for (const id of customerIds) {
    for (const m of telegram.store.find(id)?.messages ?? []) {
      if (m.from !== 'bot') continue;
      const text = textOf(m);
      if (text.includes(FAILED_UPDATE)) problems.push(`chat ${id}: the bot failed an update ("${text}")`);
      const goods = goodsLines(m, shop.stockTag);
      if (goods.length > 0) {
        goodsMessages++;
        for (const line of goods) lines.set(line, (lines.get(line) ?? 0) + 1);
      }
      const invoice = text.includes('Pesanan berhasil') ? INVOICE.exec(text)?.[0] : undefined;
      if (invoice) successes.set(invoice, (successes.get(invoice) ?? 0) + 1);
    }
    for (const a of telegram.store.callbackAnswers(id)) {
      if (a.text?.includes(FAILED_UPDATE)) problems.push(`chat ${id}: the bot failed a button press`);
    }
  }
  for (const [line, n] of lines) if (n > 1) problems.push(`item ${line} delivered ${n} times`);
  for (const [invoice, n] of successes) if (n > 1) problems.push(`invoice ${invoice} delivered ${n} times`);
  const seen = expected.checkout.length + expected.flash.length;
  if (goodsMessages !== seen)
    problems.push(`${goodsMessages} goods messages in the chats, ${seen} purchases seen`);

  const checkout = await shop.catalog.product(shop.checkoutProduct, { includeInactive: true });
  if (checkout.soldCount !== expected.checkout.length)
    problems.push(
      `catalog sold ${checkout.soldCount} checkout items, customers got ${expected.checkout.length}`,
    );
  const flash = await shop.catalog.product(shop.flashProduct, { includeInactive: true });
  if (expected.flash.length > 0 || flash.soldCount > 0) {
    if (flash.soldCount > expected.flashItems) problems.push(`flash sale oversold: ${flash.soldCount} sold`);
    if (flash.soldCount !== expected.flash.length)
      problems.push(`catalog sold ${flash.soldCount} flash items, customers got ${expected.flash.length}`);
  }
  for (const p of [checkout, flash]) {
    if (p.reservedStock !== 0) problems.push(`product ${p.id}: ${p.reservedStock} items still reserved`);
  }
  return problems;
}
