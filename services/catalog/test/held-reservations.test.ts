import { Invalid } from '@quickcart/kit';
import { startTestCatalog, type TestCatalog } from './harness';

let t: TestCatalog;
beforeAll(async () => {
  t = await startTestCatalog();
});
afterAll(() => t.close());

let seq = 0;
const invoice = (name: string) => `INVHELD${name}${process.pid}${++seq}`;

async function productWithStock(count: number): Promise<number> {
  const { id } = await t.client.addProduct({ name: `Held ${++seq}`, price: 5_000 });
  await t.client.addStock(
    id,
    Array.from({ length: count }, (_, i) => `held-${id}-${i}`),
  );
  return id;
}

const age = (invoiceId: string, minutes: number) =>
  t.sql(
    `UPDATE catalog.reservations SET created_at = now() - make_interval(mins => $2) WHERE invoice_id = $1`,
    [invoiceId, minutes],
  );

describe('the reservations still holding stock', () => {
  it('lists those held longer than asked, page by page; never a committed, released or young one', async () => {
    const productId = await productWithStock(10);
    const [a, b, young, sold, released] = ['A', 'B', 'Y', 'S', 'R'].map(invoice) as [
      string,
      string,
      string,
      string,
      string,
    ];
    for (const inv of [a, b, young, sold, released])
      await t.worker.reserve({ invoiceId: inv, productId, quantity: 1 });
    await t.worker.commit(sold);
    await t.worker.release(released);
    for (const inv of [a, b, sold, released]) await age(inv, 10);

    const listed: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await t.orders.heldReservations({ olderThanSeconds: 300, after, limit: 1 });
      listed.push(...page.items.map((r) => r.invoiceId));
      if (page.items.length < 1) break;
      expect(page.items[0]).toMatchObject({ productId, quantity: 1 });
      after = page.items[page.items.length - 1]!.invoiceId;
    }
    expect(listed.filter((inv) => [a, b, young, sold, released].includes(inv))).toEqual([a, b].sort());
  });

  it('refuses a request without an age or with a page too large', async () => {
    await expect(t.orders.heldReservations({ olderThanSeconds: 0 })).rejects.toBeInstanceOf(Invalid);
    await expect(t.orders.heldReservations({ olderThanSeconds: 60, limit: 10_000 })).rejects.toBeInstanceOf(
      Invalid,
    );
  });
});
