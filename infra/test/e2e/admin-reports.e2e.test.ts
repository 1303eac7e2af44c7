import { formatRupiah as rp } from '@quickcart/kit';
import type { Order } from '@quickcart/orders/contract';
import { parse } from 'csv-parse/sync';
import { useAdminChat, textOf, type Msg } from './admin-chat';
import { newUserId, payInSandbox } from './bot-system';
import { eventually } from './eventually';

/** A day in the shop's timezone (Asia/Jakarta, UTC+7, no daylight saving), `offset` days from today. */
const jakartaDay = (offset = 0) =>
  new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const dmy = (iso: string) => iso.split('-').reverse().join('/');

describe('sales reports and the order export, through the bot', () => {
  const chat = useAdminChat();
  const made: Order[] = [];
  let buyer: number;
  let other: number;
  let netflix: number;
  let canva: number;

  const paid = (invoiceId: string) =>
    eventually(
      () => chat.sys.stack.orders.order(invoiceId),
      (o) => o.status === 'paid',
      `${invoiceId} paid`,
      30_000,
    );
  const payByQris = async (order: Order) => {
    await eventually(
      () => chat.sys.stack.sandbox.transaction(order.invoiceId),
      (tx) => tx !== undefined,
      `the Pakasir invoice of ${order.invoiceId}`,
    );
    await payInSandbox(chat.sys, order.invoiceId);
    return paid(order.invoiceId);
  };

  beforeAll(async () => {
    const { orders, catalog, worker } = chat.sys.stack;
    netflix = (await catalog.addProduct({ name: 'Netflix', category: 'Streaming', price: 20_000 })).id;
    canva = (await catalog.addProduct({ name: 'Canva, "Pro"', category: 'Desain', price: 7_000 })).id;
    await catalog.addStock(netflix, ['n1', 'n2', 'n3', 'n4']);
    await catalog.addStock(canva, ['c1', 'c2']);
    buyer = newUserId();
    other = newUserId();
    // Each has a Telegram chat (the QR of a QRIS payment is sent there).
    chat.sys.telegram.user({ id: buyer, firstName: 'Rina' });
    chat.sys.telegram.user({ id: other, firstName: 'Budi' });
    await orders.upsertUser({ id: buyer, name: 'Rina' });
    await orders.upsertUser({ id: other, name: 'Budi' });
    await worker.postLedgerEntry({
      userId: buyer,
      delta: 100_000,
      reason: 'transfer',
      idempotencyKey: `t-${buyer}`,
    });
    // Rina: 2 × Netflix from her balance; Budi: 1 × Canva by QRIS, and a deposit by QRIS.
    made.push(
      await paid(
        (await orders.checkout({ userId: buyer, productId: netflix, quantity: 2, paymentMethod: 'balance' }))
          .invoiceId,
      ),
    );
    made.push(
      await payByQris(
        await orders.checkout({ userId: other, productId: canva, quantity: 1, paymentMethod: 'qris' }),
      ),
    );
    made.push(await payByQris(await orders.deposit({ userId: other, amount: 10_000 })));
    // Rina: 1 × Netflix by QRIS, never paid (made, not paid); and a refund of Rp5.000 to her balance.
    made.push(
      await orders.checkout({ userId: buyer, productId: netflix, quantity: 1, paymentMethod: 'qris' }),
    );
    await worker.postLedgerEntry({
      userId: buyer,
      delta: 5_000,
      reason: 'refund',
      idempotencyKey: `r-${buyer}`,
    });
  }, 120_000);

  it('/report for a range: totals of exactly the orders made here, by method, with top products and buyers', async () => {
    const [balanceBuy, qrisBuy, deposit] = made;
    const range = `${jakartaDay(-1)}..${jakartaDay(1)}`;
    const report = await chat.asAdmin(`/report ${range}`);
    const qrisFees = qrisBuy.paymentFee + deposit.paymentFee;
    expect(qrisFees).toBeGreaterThan(0);
    expect(report).toBe(
      [
        `📊 Laporan Penjualan ${dmy(jakartaDay(-1))}–${dmy(jakartaDay(1))} (Asia/Jakarta)`,
        '',
        '🧾 Pesanan dibuat: 4',
        '✅ Pesanan dibayar: 2 (3 item)',
        `💰 Omzet: ${rp(47_000)}`,
        `🎟️ Diskon voucher: ${rp(0)}`,
        `   ▫️ QRIS/VA: 1 pesanan, ${rp(7_000)}`,
        `   ▫️ Saldo: 1 pesanan, ${rp(balanceBuy.subtotal)}`,
        `🏦 Biaya Pakasir (dibayar pembeli): ${rp(qrisFees)}`,
        `💳 Deposit: 1, ${rp(10_000)}`,
        `💸 Refund ke saldo: 1, ${rp(5_000)}`,
        '',
        '🔥 Produk teratas',
        `1. Netflix (ID ${netflix}) — 2 item, ${rp(40_000)}`,
        `2. Canva, "Pro" (ID ${canva}) — 1 item, ${rp(7_000)}`,
        '',
        '🏆 Pembeli teratas',
        `1. Rina (${buyer}) — 1 pesanan, ${rp(40_000)}`,
        `2. Budi (${other}) — 1 pesanan, ${rp(7_000)}`,
      ].join('\n'),
    );
    // 'today' is the shop's day; a period before the shop existed is empty.
    expect(await chat.asAdmin('/report')).toMatch(
      new RegExp(`^📊 Laporan Penjualan ${dmy(jakartaDay())} \\(Asia/Jakarta\\)`),
    );
    expect(await chat.asAdmin('/report 2020-01-01..2020-01-31')).toContain('✅ Pesanan dibayar: 0 (0 item)');
  });

  it('refuses a period that is not one, with the format and an example; customers get nothing', async () => {
    for (const bad of [
      '/report kemarin',
      '/report 2026-12-07..2026-12-01',
      '/report 2026-02-30..2026-03-01',
    ]) {
      expect(await chat.asAdmin(bad)).toMatch(
        /^Format salah\. Contoh penggunaan yang benar:\n\/report \[today\|week\|month\|YYYY-MM-DD\.\.YYYY-MM-DD\].*\nContoh: \/report 2026-12-01\.\.2026-12-07/,
      );
    }
    expect(await chat.asAdmin('/exportorders')).toMatch(/^Format salah[\s\S]*Contoh: \/exportorders month/);
    await chat.customerGetsNothing('/report today');
    await chat.customerGetsNothing('/exportorders today');
  });

  it('/exportorders sends the period as a CSV document: one row an order, parsed back equal to the orders', async () => {
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    // Telegram refuses the first upload for a second: the CSV, read once, is asked of orders again.
    chat.sys.telegram.failNext({
      method: 'sendDocument',
      chatId: chat.admin.id,
      errorCode: 429,
      retryAfter: 1,
    });
    await chat.admin.send(`/exportorders ${jakartaDay(-1)}..${jakartaDay(1)}`);
    const file = await chat.admin.waitFor((m: Msg) => m.document !== undefined, { after });
    expect(textOf(file)).toBe(`📄 Pesanan ${dmy(jakartaDay(-1))}–${dmy(jakartaDay(1))} (Asia/Jakarta)`);
    const rows = parse(file.document!.bytes, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.invoice)).toEqual(made.map((o) => o.invoiceId));
    for (const [i, order] of made.entries()) {
      const current = await chat.sys.stack.orders.order(order.invoiceId);
      expect(rows[i]).toMatchObject({
        customer_id: String(current.userId),
        kind: current.kind,
        subtotal: String(current.subtotal),
        voucher_discount: String(current.voucherDiscount),
        payment_fee: String(current.paymentFee),
        total: String(current.total),
        method: current.paymentMethod,
        status: current.status,
      });
      expect(rows[i].created_at).toMatch(
        new RegExp(`^(${jakartaDay()}|${jakartaDay(-1)}) \\d\\d:\\d\\d:\\d\\d$`),
      );
      expect(rows[i].paid_at === '').toBe(current.status !== 'paid');
    }
    expect(rows[1]).toMatchObject({ customer_name: 'Budi', product: 'Canva, "Pro"', quantity: '1' });
    expect(rows[2]).toMatchObject({ kind: 'deposit', product: '', quantity: '' });
    // Customers' names and orders left the shop: who took them is on the record, once per CSV read (the
    // upload Telegram refused and the one sent after the wait).
    const exports = await eventually(
      () =>
        chat.sys.stack.auditSql<{ actor: string; target_id: string }>(
          "SELECT actor, target_id FROM audit_log WHERE action = 'orders.export' ORDER BY id",
        ),
      (entries) => entries.length >= 2,
      'the export audited',
    );
    // At least those two; a third when the admin chat's own pace (Telegram's 1 a second) refused the
    // second upload too (the flow tries three times), as a fresh-clone CI run saw.
    expect(exports.length).toBeLessThanOrEqual(3);
    expect(new Set(exports.map((e) => e.actor))).toEqual(new Set([String(chat.admin.id)]));
    expect(exports[0].target_id).toBe(`${jakartaDay(-1)}..${jakartaDay(1)}`);

    expect(await chat.asAdmin('/exportorders 2020-01-01..2020-01-31')).toBe(
      '📄 Tidak ada pesanan 01/01/2020–31/01/2020 (Asia/Jakarta).',
    );
  });

  it('/exportorders pages through a large period: 1,234 orders made in the same instant, each once', async () => {
    // Straight into the table, all with one created_at: the export's pages must part ties by id.
    await chat.sys.stack.sql(
      `INSERT INTO orders.orders (invoice_id, user_id, kind, subtotal, payment_fee, total, payment_method, status, created_at)
       SELECT 'INVBULK' || lpad(n::text, 5, '0'), $1, 'purchase', 1000, 0, 1000, 'balance', 'expired',
              timestamptz '2021-03-10 12:00:00.123456+07'
         FROM generate_series(1, 1234) n`,
      [buyer],
    );
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.send('/exportorders 2021-03-10..2021-03-10');
    const file = await chat.admin.waitFor((m: Msg) => m.document !== undefined, { after });
    const rows = parse(file.document!.bytes, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1234);
    expect(new Set(rows.map((r) => r.invoice)).size).toBe(1234);
    expect(rows[0]).toMatchObject({
      invoice: 'INVBULK00001',
      created_at: '2021-03-10 12:00:00',
      status: 'expired',
    });
    expect(await chat.asAdmin('/report 2021-03-10..2021-03-10')).toContain('🧾 Pesanan dibuat: 1234');
  });
});
