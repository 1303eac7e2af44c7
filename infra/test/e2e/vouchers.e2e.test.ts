import { ADMIN_ID } from '../../../services/orders/test/stack';
import { textOf, useAdminChat, type Msg } from './admin-chat';
import { newUserId, payInSandbox } from './bot-system';
import { eventually } from './eventually';

type Voucher = { code: string; held_by: string | null; used_by: string | null; used_invoice: string | null };

describe('vouchers: /giveaway, [Gunakan Voucher] at checkout, taken when paid, given back when cancelled', () => {
  const chat = useAdminChat();
  let productId: number;
  let codes: string[];
  beforeAll(async () => {
    const product = await chat.sys.stack.catalog.addProduct({ name: 'Canva Pro', price: 30_000 });
    productId = product.id;
    await chat.sys.stack.catalog.addStock(
      productId,
      Array.from({ length: 10 }, (_, i) => `canva${i}:pw`),
    );
  });

  const voucher = async (code: string) =>
    (
      await chat.sys.stack.sql<Voucher>(
        'SELECT code, held_by, used_by::text, used_invoice FROM orders.vouchers WHERE code = $1',
        [code],
      )
    )[0];
  const customer = async (name: string) => {
    const user = chat.sys.telegram.user({ id: newUserId(), firstName: name });
    await chat.sys.stack.orders.upsertUser({ id: user.id, name });
    return user;
  };
  type User = Awaited<ReturnType<typeof customer>>;
  const toSummary = async (user: User) => {
    const sent = await user.send(String(productId));
    const product = await user.waitForText('Jumlah: 1', { after: sent.id });
    await user.pressOn(product.id, 'Lanjut ke pembayaran');
    return user.waitFor((m: Msg) => m.id === product.id && textOf(m).includes('Ringkasan Pesanan'));
  };
  const typeVoucher = async (user: User, code: string, answer: string) => {
    await user.press('Gunakan Voucher');
    await user.waitForText('Ketik kode voucher Anda:');
    const after = user.messages().at(-1)!.id;
    await user.send(code);
    await user.waitForText(answer, { after });
    return user.waitForText('Ringkasan Pesanan', { after });
  };

  it('/giveaway creates one-time codes worth the nominal, audited', async () => {
    const reply = await chat.confirmAsAdmin('/giveaway 10.000|3');
    expect(reply).toMatch(/^🎁 3 voucher Rp10\.000 dibuat \(sekali pakai, berlaku sampai \d\d\/\d\d\/\d{4}/);
    codes = reply.split('\n').slice(1);
    expect(codes).toHaveLength(3);
    const rows = await chat.sys.stack.sql<{ amount: number; days: number }>(
      `SELECT amount::int, round(extract(epoch FROM expires_at - created_at) / 86400)::int AS days
         FROM orders.vouchers WHERE code = ANY($1)`,
      [codes],
    );
    expect(rows).toEqual(codes.map(() => ({ amount: 10_000, days: 30 })));
    const audit = await chat.sys.stack.auditSql<{ actor: string; after: { codes: string[] } }>(
      "SELECT actor, after FROM audit_log WHERE action = 'voucher.create'",
    );
    expect(audit).toEqual([
      { actor: String(ADMIN_ID), after: expect.objectContaining({ amount: 10_000, codes }) },
    ]);
    expect(await chat.asAdmin('/giveaway 10000|0')).toMatch(
      /^Format salah[\s\S]*Contoh: \/giveaway 10000\|10/,
    );
    expect(await chat.asAdmin('/giveaway gratis|5')).toMatch(/^Format salah/);
  });

  it('applies at checkout, is held by the order, taken when paid; then the 5-minute cooldown', async () => {
    const [first, second] = codes;
    const sari = await customer('Sari');
    await toSummary(sari);
    await typeVoucher(sari, 'SALAH123', 'Kode voucher tidak valid atau sudah digunakan.');
    const summary = await typeVoucher(
      sari,
      first.toLowerCase(),
      'Voucher berhasil diterapkan! Diskon Rp10.000 telah dipotong dari total pesanan.',
    );
    expect(textOf(summary)).toContain('🎟️ Diskon voucher: -Rp10.000');
    expect(textOf(summary)).toContain('Total pesanan: Rp20.000');
    expect(textOf(summary)).toContain('Total tagihan (QRIS): Rp20.450'); // fee on the amount after the voucher

    await sari.press('QRIS');
    const qr = await sari.waitFor((m: Msg) => m.photo !== undefined);
    const invoiceId = /INV\d{6}[A-Z0-9]{6}/.exec(textOf(qr))![0];
    expect(await voucher(first)).toMatchObject({ held_by: invoiceId, used_by: null });
    expect(chat.sys.stack.sandbox.transaction(invoiceId)!.amount).toBe(20_000);

    // Held: nobody else can use it meanwhile.
    const budi = await customer('Budi');
    await toSummary(budi);
    await typeVoucher(budi, first, 'Kode voucher tidak valid atau sudah digunakan.');

    await payInSandbox(chat.sys, invoiceId);
    await sari.waitForText('🎉 Pesanan berhasil!');
    expect(await voucher(first)).toMatchObject({
      held_by: null,
      used_by: String(sari.id),
      used_invoice: invoiceId,
    });
    expect(await chat.sys.stack.orders.order(invoiceId)).toMatchObject({
      voucherDiscount: 10_000,
      total: 20_450,
    });

    // Used once: refused again; and Sari waits 5 minutes before another voucher.
    await toSummary(budi);
    await typeVoucher(budi, first, 'Kode voucher tidak valid atau sudah digunakan.');
    await toSummary(sari);
    await typeVoucher(
      sari,
      second,
      'Anda baru saja menggunakan voucher. Tunggu 5 menit untuk menggunakan voucher lagi.',
    );
  });

  it('a cancelled order gives the voucher back; an expired voucher is refused', async () => {
    const [, second, third] = codes;
    const dewi = await customer('Dewi');
    await toSummary(dewi);
    await typeVoucher(dewi, second, 'Voucher berhasil diterapkan!');
    await dewi.press('QRIS');
    const qr = await dewi.waitFor((m: Msg) => m.photo !== undefined);
    const invoiceId = /INV\d{6}[A-Z0-9]{6}/.exec(textOf(qr))![0];
    expect((await voucher(second)).held_by).toBe(invoiceId);
    await dewi.pressOn(qr.id, 'Batalkan');
    await eventually(
      () => voucher(second),
      (v) => v.held_by === null,
      'the voucher given back',
    );
    expect((await chat.sys.stack.orders.order(invoiceId)).status).toBe('cancelled');
    expect((await voucher(second)).used_by).toBeNull();
    await toSummary(dewi);
    await typeVoucher(dewi, second, 'Voucher berhasil diterapkan!');

    await chat.sys.stack.sql(
      "UPDATE orders.vouchers SET expires_at = now() - interval '1 minute' WHERE code = $1",
      [third],
    );
    await typeVoucher(dewi, third, 'Voucher sudah expired atau tidak berlaku.');
  });

  it('a voucher worth the whole order: nothing to pay by QRIS, Rp0 from the balance', async () => {
    const reply = await chat.confirmAsAdmin('/giveaway 50000|1');
    const [code] = reply.split('\n').slice(1);
    const eka = await customer('Eka');
    await toSummary(eka);
    const summary = await typeVoucher(eka, code, 'Diskon Rp50.000');
    expect(textOf(summary)).toContain('Total pesanan: Rp0');
    await eka.press('QRIS');
    await eka.waitForText('Voucher menutup seluruh total pesanan');
    await toSummary(eka);
    await eka.press('SALDO');
    await eka.waitForText('Saldo setelah: Rp0');
    await eka.press('Konfirmasi');
    await eka.waitForText('🎉 Pesanan berhasil!');
    expect((await voucher(code)).used_by).toBe(String(eka.id));
    expect(await chat.sys.stack.sql('SELECT id FROM orders.ledger WHERE user_id = $1', [eka.id])).toEqual([]);
  });
});
