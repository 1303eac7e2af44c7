import { PROJECT } from '../../../services/orders/test/stack';
import { customerAtSummary, newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';
import { E2E_BOT_LINK } from './worker';
import { textOf, type Msg as Shown } from './admin-chat';

type Msg = Shown & { inlineKeyboard?: { text: string; url?: string }[][] };
const shown = textOf;
const buttons = (m: Msg) => (m.inlineKeyboard ?? []).map((r) => r.map((b) => b.text));
const urlOf = (m: Msg, text: string) => (m.inlineKeyboard ?? []).flat().find((b) => b.text === text)?.url;
const invoiceIn = (m: Msg) => /INV\d{6}[A-Z0-9]{6}/.exec(shown(m))![0];
/** A form's action on the sandbox's pay page, by the id of its button (or the confirm form). */
const actionIn = (html: string, pattern: RegExp) => pattern.exec(html)?.[1]?.replace(/&amp;/g, '&');

/**
 * More ways to pay through Pakasir (docs/features.md §6.1): beside the QR, "🏦 Metode lain" opens Pakasir's
 * page for the same invoice without qris_only; the customer pays by a virtual account there, with that
 * method's fee. Through the Telegram and Pakasir sandboxes, with the real services and worker.
 */
describe('a virtual-account payment, end to end', () => {
  let sys: BotSystem;
  let productId: number;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
    productId = (await sys.stack.catalog.addProduct({ name: 'Canva Pro', price: 30_000 })).id;
    await sys.stack.catalog.addStock(productId, ['canva-a:pw1', 'canva-b:pw2']);
  });
  afterAll(() => sys?.close());

  it('is delivered once, the receipt and the stored order naming the method and its fee', async () => {
    const user = await customerAtSummary(sys, 'Wulan', productId);
    await user.press('QRIS');

    const qr = (await user.waitFor((m: Msg) => m.photo !== undefined)) as Msg;
    const invoiceId = invoiceIn(qr);
    expect(shown(qr)).toContain('Total bayar: Rp30.520');
    expect(shown(qr)).toContain('🏦 Metode lain: virtual account bank dan metode lain di halaman Pakasir');
    expect(buttons(qr)).toEqual([['Checkout Page', '🏦 Metode lain'], ['Status Pembayaran'], ['Batalkan']]);
    // The same invoice and amount on Pakasir's page: QRIS only behind one button, every method behind the
    // other; both send the customer back to the bot once paid (`redirect`, issue 18).
    const page = `${sys.stack.sandbox.url}/pay/${PROJECT}/30000?order_id=${invoiceId}`;
    const back = `redirect=${encodeURIComponent(E2E_BOT_LINK)}`;
    expect(urlOf(qr, 'Checkout Page')).toBe(`${page}&${back}&qris_only=1`);
    expect(urlOf(qr, '🏦 Metode lain')).toBe(`${page}&${back}`);

    // The customer opens the page, picks BNI's virtual account and pays it: Rp30.000 + Rp3.500.
    const list = await (await fetch(urlOf(qr, '🏦 Metode lain')!)).text();
    expect(list).toContain('BNI Virtual Account · Rp33.500');
    expect(list).toContain('QRIS · Rp30.520');
    const chosen = await fetch(
      sys.stack.sandbox.url +
        actionIn(list, /action="([^"]+)">\s*<button class="btn method" id="method-bni_va"/),
      {
        method: 'POST',
        redirect: 'manual',
      },
    );
    expect(chosen.status).toBe(303);
    const va = await (await fetch(sys.stack.sandbox.url + chosen.headers.get('location'))).text();
    expect(va).toContain('Rp33.500');
    const paid = await fetch(
      sys.stack.sandbox.url + actionIn(va, /<form method="post" action="([^"]+\/confirm[^"]*)"/),
      {
        method: 'POST',
      },
    );
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain(`href="${E2E_BOT_LINK}"`);
    expect(sys.stack.sandbox.transaction(invoiceId)).toMatchObject({
      status: 'completed',
      paymentMethod: 'bni_va',
      totalPayment: 33_500,
    });

    // Pakasir's webhook reaches orders; the workflow confirms with detail and the QR becomes the receipt.
    const receipt = (await user.waitFor((m: Msg) => m.id === qr.id && shown(m).includes('Lunas'))) as Msg;
    expect(shown(receipt)).toContain('💳 Dibayar dengan BNI Virtual Account (biaya Rp3.500)');
    expect(shown(receipt)).toContain('canva-a:pw1');
    expect(buttons(receipt)).toEqual([]);
    const result = await sys.stack.temporal.workflow.getHandle(`purchase-${invoiceId}`).result();
    expect(result).toEqual({ status: 'delivered' });
    // Once: one message holds the goods, one item sold.
    expect(user.messages().filter((m: Msg) => shown(m).includes('canva-a:pw1'))).toHaveLength(1);
    expect(await sys.stack.catalog.product(productId)).toMatchObject({
      stock: 1,
      reservedStock: 0,
      soldCount: 1,
    });

    // The order: the amount is the customer's obligation as before; the method and its fee as Pakasir
    // confirmed them; the QRIS invoice's total kept beside them.
    expect(await sys.stack.orders.order(invoiceId)).toMatchObject({
      status: 'paid',
      amount: 30_000,
      paidMethod: 'bni_va',
      paidFee: 3_500,
      paymentFee: 3_500,
      total: 33_500,
      invoiceTotalPayment: 30_520,
    });
    const audit = await eventually(
      () =>
        sys.stack.auditSql<{ after: { status: string } }>(
          "SELECT after FROM audit_log WHERE action = 'order.status' AND target_id = $1 ORDER BY id",
          [invoiceId],
        ),
      (rows) => rows.length === 2,
      'both status changes on the audit record',
    );
    expect(audit.map((a) => a.after.status)).toEqual(['pending', 'paid']);
    expect(audit[1]!.after).toEqual({ status: 'paid', paidMethod: 'bni_va', paidFee: 3_500 });
  });

  it('a deposit paid by a virtual account credits the amount and names the method and its fee', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Bayu' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Bayu' });
    await user.send('/start');
    await user.waitForText('Halo Bayu');
    await user.tapKeyboard('AKUN');
    await user.waitForText('Akun Anda');
    await user.press('Deposit');
    await user.waitForText('Pilih jumlah deposit');
    await user.press('Jumlah Lain');
    await user.waitForText('Ketik jumlah deposit');
    await user.send('50000');
    const qr = (await user.waitFor((m: Msg) => m.photo !== undefined)) as Msg;
    const invoiceId = invoiceIn(qr);
    const list = await (await fetch(urlOf(qr, '🏦 Metode lain')!)).text();
    const chosen = await fetch(
      sys.stack.sandbox.url +
        actionIn(list, /action="([^"]+)">\s*<button class="btn method" id="method-bri_va"/),
      { method: 'POST', redirect: 'manual' },
    );
    const va = await (await fetch(sys.stack.sandbox.url + chosen.headers.get('location'))).text();
    expect(va).toContain('Rp53.500');
    const paid = await fetch(
      sys.stack.sandbox.url + actionIn(va, /<form method="post" action="([^"]+\/confirm[^"]*)"/),
      { method: 'POST' },
    );
    expect(paid.status).toBe(200);

    const credited = (await user.waitForText('💰 Deposit berhasil!')) as Msg;
    expect(shown(credited)).toContain('💳 Dibayar dengan BRI Virtual Account (biaya Rp3.500)');
    expect((await sys.stack.orders.user(user.id)).balance).toBe(50_000);
    expect(await sys.stack.orders.order(invoiceId)).toMatchObject({
      kind: 'deposit',
      status: 'paid',
      paidMethod: 'bri_va',
      paidFee: 3_500,
    });
  });
});
