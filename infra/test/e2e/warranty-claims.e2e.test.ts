import { PNG } from 'pngjs';
import { ledgerKeys } from '@quickcart/workflow-api';
import { useAdminChat, textOf, type Msg } from './admin-chat';
import { eventually } from './eventually';

type Shown = Msg & { inlineKeyboard?: { text: string }[][] };
const buttons = (m: Shown) => (m.inlineKeyboard ?? []).flatMap((r) => r.map((b) => b.text));
const PRICE = 10_000;

/**
 * Warranty claims end to end (docs/features.md §2.9.1): the customer claims from Riwayat Transaksi in the
 * Telegram sandbox, an admin decides with the claim's buttons, the claim's workflow carries it out on the
 * dev server; the goods or the money arrive once.
 */
describe('a customer claims the warranty of a paid order and an admin resolves it', () => {
  const chat = useAdminChat();
  let productId: number;

  beforeAll(async () => {
    const { catalog, worker } = chat.sys.stack;
    productId = (await catalog.addProduct({ name: 'Canva Pro', price: PRICE })).id;
    await catalog.addStock(
      productId,
      Array.from({ length: 6 }, (_, i) => `canva-${i + 1}:rahasia`),
    );
    await worker.postLedgerEntry({
      userId: chat.customer.id,
      delta: 100_000,
      reason: 'deposit',
      idempotencyKey: `seed-warranty-${chat.customer.id}`,
    });
  });

  /** A balance purchase through orders, paid and delivered by its workflow. */
  async function paidOrder(product = productId): Promise<string> {
    const { orders } = chat.sys.stack;
    const order = await orders.checkout({
      userId: chat.customer.id,
      productId: product,
      quantity: 1,
      paymentMethod: 'balance',
    });
    await eventually(
      () => orders.order(order.invoiceId),
      (o) => o.status === 'paid',
      `${order.invoiceId} paid`,
    );
    // Its goods arrive before the test goes on: one chat takes about a message a second (Telegram's limit).
    await chat.customer.waitForText(`Invoice: ${order.invoiceId}\nTerima kasih`, { timeoutMs: 20_000 });
    return order.invoiceId;
  }

  /** AKUN → Riwayat Transaksi, as the customer sees it. */
  async function history(): Promise<Shown> {
    const after = chat.customer.messages().at(-1)?.id ?? 0;
    await chat.customer.send('AKUN');
    const account = (await chat.customer.waitFor((m: Msg) => textOf(m).includes('Akun Anda'), {
      after,
    })) as Shown;
    await chat.customer.pressOn(account.id, 'Riwayat Transaksi');
    // The account screen becomes the history, or, when a late message (goods of an earlier order, paced
    // by Telegram) came after it, the history is a new message below (respond in context.ts).
    return (await chat.customer.waitFor(
      (m: Msg) => m.id >= account.id && textOf(m).includes('Riwayat Transaksi'),
    )) as Shown;
  }

  /** Presses the order's claim button and sends the problem (text, or a photo with caption). */
  async function claim(invoiceId: string, problem: string, photo?: Buffer): Promise<string> {
    const shown = await history();
    const after = chat.customer.messages().at(-1)?.id ?? 0;
    await chat.customer.pressOn(shown.id, `🛡️ Klaim Garansi ${invoiceId}`);
    await chat.customer.waitForText(/Jelaskan masalahnya/, { after });
    if (photo) await chat.customer.sendPhoto(photo, problem);
    else await chat.customer.send(problem);
    const sent = await chat.customer.waitForText(/Klaim garansi warranty-\S+ dikirim ke admin/, { after });
    return /(warranty-\S+)/.exec(textOf(sent))![1];
  }

  /** The claim as the admins got it, with its three buttons. */
  async function claimNotice(claimId: string): Promise<Shown> {
    return (await chat.admin.waitFor(
      (m: Msg) => textOf(m).includes(`Klaim garansi baru`) && textOf(m).includes(claimId),
    )) as Shown;
  }

  /** An admin's press on the claim and the bot's answer to it. */
  async function press(notice: Shown, button: string): Promise<string> {
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.pressOn(notice.id, button);
    return textOf(await chat.admin.waitFor((m: Msg) => m.from === 'bot' && m.id > after, { after }));
  }

  const balance = async () => (await chat.sys.stack.orders.user(chat.customer.id)).balance;
  const customerSaw = (part: string) =>
    chat.customer.messages().filter((m: Msg) => m.from === 'bot' && textOf(m).includes(part));

  it('🔁 Ganti: one replacement item is taken from stock and delivered once, a second press changes nothing', async () => {
    const invoiceId = await paidOrder();
    const stockBefore = (await chat.sys.stack.catalog.product(productId)).stock;
    const claimId = await claim(invoiceId, 'Akun tidak bisa login sejak kemarin');
    const notice = await claimNotice(claimId);
    expect(buttons(notice)).toEqual(['🔁 Ganti', '💸 Refund', '❌ Tolak']);
    expect(textOf(notice)).toContain('Akun tidak bisa login sejak kemarin');

    expect(await press(notice, '🔁 Ganti')).toContain(`Klaim ${claimId}: 🔁 ganti produk dicatat`);
    await chat.customer.waitForText(/Klaim garansi disetujui: produk diganti/);
    const stored = await eventually(
      () => chat.sys.stack.orders.warrantyClaim(claimId),
      (c) => c.status === 'replaced',
      'the claim replaced',
    );
    expect(stored.replacementItemIds).toHaveLength(1);
    const items = await chat.sys.stack.sql<{ content: string }>(
      `SELECT content FROM catalog.stock_items WHERE invoice_id = $1 AND status = 'sold'`,
      [claimId],
    );
    expect(items).toHaveLength(1);
    const [{ content: replacement }] = items;
    await eventually(
      () => customerSaw(replacement).length,
      (n) => n === 1,
      'the replacement shown',
    );

    expect(await press(notice, '💸 Refund')).toContain(`Klaim ${claimId} sudah diputuskan: 🔁 ganti produk`);
    expect(await press(notice, '🔁 Ganti')).toContain('sudah diputuskan');
    expect((await chat.sys.stack.catalog.product(productId)).stock).toBe(stockBefore - 1);
    expect(customerSaw(replacement)).toHaveLength(1);
  });

  it("💸 Refund: the calculator's amount is credited once, even when pressed twice", async () => {
    const invoiceId = await paidOrder();
    const claimId = await claim(invoiceId, 'Langganan berhenti');
    const notice = await claimNotice(claimId);
    const before = await balance();
    // A double tap: both presses reach the bot before either is answered.
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await Promise.all([
      chat.admin.pressOn(notice.id, '💸 Refund'),
      chat.admin.pressOn(notice.id, '💸 Refund'),
    ]);
    const answers = await eventually(
      () => chat.admin.messages().filter((m: Msg) => m.from === 'bot' && m.id > after),
      (a) => a.length >= 2,
      'both presses answered',
    );
    expect(answers.map(textOf).filter((a) => a.includes('💸 refund ke saldo dicatat'))).toHaveLength(1);
    expect(answers.map(textOf).filter((a) => a.includes('sudah diputuskan'))).toHaveLength(1);
    // Paid today, and this customer already made one claim (the replacement above): × m_claims_1_2 (0.6).
    const refund = (PRICE * 60) / 100;
    await chat.customer.waitForText(`dikembalikan ke saldo Anda (pesanan ${invoiceId})`);
    expect(customerSaw(`Klaim garansi ${claimId} disetujui: Rp6.000`)).toHaveLength(1);
    expect(await balance()).toBe(before + refund);
    expect(await press(notice, '💸 Refund')).toContain('sudah diputuskan');
    const entries = await chat.sys.stack.sql('SELECT delta FROM orders.ledger WHERE idempotency_key = $1', [
      ledgerKeys.warrantyRefund(claimId),
    ]);
    expect(entries.map((e) => Number(e.delta))).toEqual([refund]);
    expect(await balance()).toBe(before + refund);
    const audited = await chat.sys.stack.auditSql<{ action: string }>(
      'SELECT action FROM audit_log WHERE reference = $1 ORDER BY id',
      [claimId],
    );
    expect(audited.map((a) => a.action)).toEqual([
      'warranty.claim',
      'warranty.decision',
      'warranty.refunded',
    ]);
  });

  it('❌ Tolak: the admin types a reason, which the customer receives; a photo claim shows the photo', async () => {
    const invoiceId = await paidOrder();
    const photo = PNG.sync.write(new PNG({ width: 16, height: 16 }));
    const claimId = await claim(invoiceId, 'Layar error, lihat foto', photo);
    const notice = await claimNotice(claimId);
    expect(textOf(notice)).toContain('Layar error, lihat foto');
    const pictured = chat.admin
      .messages()
      .filter((m: Msg) => m.photo !== undefined && textOf(m).includes(claimId));
    expect(pictured).toHaveLength(1);
    const before = await balance();
    expect(await press(notice, '❌ Tolak')).toContain(`Ketik alasan penolakan klaim ${claimId}`);
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.send('Akun dipakai bersama, melanggar aturan');
    expect(textOf(await chat.admin.waitFor((m: Msg) => m.from === 'bot', { after }))).toContain(
      `Klaim ${claimId}: ❌ tolak dicatat`,
    );
    const told = await chat.customer.waitForText(`Klaim garansi ${claimId} (pesanan ${invoiceId}) ditolak`);
    expect(textOf(told)).toContain('Alasan: Akun dipakai bersama, melanggar aturan');
    expect(await balance()).toBe(before);
    expect(await press(notice, '🔁 Ganti')).toContain('sudah diputuskan: ❌ tolak');
  });

  it('shows no claim button for an order past its warranty, and /setwarranty gives one back', async () => {
    const expired = await paidOrder();
    await chat.sys.stack.sql(
      `UPDATE orders.orders SET paid_at = now() - interval '31 days' WHERE invoice_id = $1`,
      [expired],
    );
    const fresh = await paidOrder();
    const shown = buttons(await history());
    expect(shown).toContain(`🛡️ Klaim Garansi ${fresh}`);
    expect(shown).not.toContain(`🛡️ Klaim Garansi ${expired}`);

    expect(await chat.asAdmin(`/setwarranty ${productId} 60`)).toBe(
      `🛡️ Garansi produk ${productId}: 60 hari sejak pembayaran.`,
    );
    expect(buttons(await history())).toContain(`🛡️ Klaim Garansi ${expired}`);
    expect(await chat.asAdmin(`/setwarranty ${productId} 0`)).toContain('tanpa garansi');
    expect(buttons(await history()).filter((b) => b.startsWith('🛡️'))).toEqual([]);
    expect(await chat.asAdmin('/setwarranty 987654 7')).toMatch(/tidak ditemukan/);
    expect(await chat.asAdmin('/setwarranty abc')).toBe(
      'Format salah. Contoh penggunaan yang benar:\n/setwarranty id_produk hari (0–3650; 0 = tanpa garansi)\nContoh: /setwarranty 101 14',
    );
    await chat.customerGetsNothing(`/setwarranty ${productId} 5`);
  });

  it('🔁 Ganti whose goods reached the chat but whose answer was lost: the replacement still shows once', async () => {
    const { catalog, sql } = chat.sys.stack;
    const zoom = (await catalog.addProduct({ name: 'Zoom Pro', price: PRICE })).id;
    await catalog.addStock(zoom, ['zoom-a:rahasia', 'zoom-b:rahasia']);
    const invoiceId = await paidOrder(zoom);
    const [{ content: left }] = await sql<{ content: string }>(
      `SELECT content FROM catalog.stock_items WHERE product_id = $1 AND status = 'available'`,
      [zoom],
    );
    const claimId = await claim(invoiceId, 'Tidak bisa dipakai');
    const notice = await claimNotice(claimId);
    // Telegram edits the placeholder into the item, then its answer is lost: the activity tries again.
    chat.sys.telegram.failNext({ textIncludes: left, applied: true, errorCode: 502 });
    expect(await press(notice, '🔁 Ganti')).toContain('dicatat');
    await eventually(
      () => chat.sys.stack.orders.warrantyClaim(claimId),
      (c) => c.status === 'replaced',
      'the claim replaced',
    );
    await chat.customer.waitForText(left);
    expect(chat.sys.telegram.faults.pending()).toEqual([]); // the lost answer did happen
    // Long enough for the activity's retry (2 s) to have run.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(customerSaw(left)).toHaveLength(1);
    expect(customerSaw(`Klaim: ${claimId}`)).toHaveLength(1);
    expect(customerSaw(`Menyiapkan pesanan ${claimId}`)).toHaveLength(0);
  });
});
