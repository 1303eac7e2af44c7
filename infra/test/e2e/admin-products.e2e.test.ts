import { ADMIN_ID } from '../../../services/orders/test/stack';
import { useAdminChat, type Msg } from './admin-chat';

describe('admin product commands through the bot', () => {
  const chat = useAdminChat();
  const { asAdmin, customerGetsNothing } = chat;

  it('/add: auto id and defaults; malformed; non-admin', async () => {
    expect(await asAdmin('/add -|Netflix|-|50000|-')).toMatch(
      /^✅ Produk ditambahkan: \d+\. Netflix — Rp50\.000 \(Tanpa Kategori\)/,
    );
    const list = await chat.sys.stack.catalog.listProducts({ pageSize: 100 });
    expect(list.items.find((p) => p.name === 'Netflix')).toMatchObject({
      category: 'Tanpa Kategori',
      price: 50_000,
    });
    expect(await asAdmin('/add 101|Netflix|Streaming|gratis|-')).toMatch(
      /^Format salah\. Contoh penggunaan yang benar:\n\/add id\|nama/,
    );
    await customerGetsNothing('/add 555|Bajakan|-|1000|-');
    await expect(chat.sys.stack.catalog.product(555)).rejects.toMatchObject({ reason: 'product' });
  });

  it('/addstock, /exportstock, /delstock, /delallstock', async () => {
    await asAdmin('/add 201|Spotify|Musik|20000|-');
    expect(await asAdmin('/addstock 201|s1:p1\n\ns2:p2\ns1:p1')).toBe(
      '✅ 2 stok ditambahkan ke produk 201. Dilewati: 2 (baris 2: kosong, baris 4: duplikat). Stok sekarang: 2.',
    );
    expect((await chat.sys.stack.catalog.product(201)).stock).toBe(2);
    await chat.admin.send('/exportstock 201');
    const file = await chat.admin.waitFor((m: Msg) => m.document !== undefined);
    const lines = file.document!.bytes.toString().trim().split('\n');
    expect(lines.map((l: string) => l.split('\t')[2])).toEqual(['s1:p1', 's2:p2']);
    const stockId = lines[0].split('\t')[0];
    expect(await asAdmin(`/delstock 201|${stockId}`)).toContain('dihapus');
    expect(await asAdmin('/delallstock 201')).toContain('1 stok dihapus');
    expect((await chat.sys.stack.catalog.product(201)).stock).toBe(0);
    expect(await asAdmin('/delstock 201|bukan-id')).toMatch(/^Format salah/);
    expect(await asAdmin('/addstock 999999|x')).toBe('❌ Produk tidak ditemukan.');
    await customerGetsNothing('/addstock 201|curian');
    expect((await chat.sys.stack.catalog.product(201)).stock).toBe(0);
  });

  it('/editid, /editcategory, /editsold, /disc, /discat, /priceress, /del', async () => {
    await asAdmin('/add 301|Canva|Desain|30000|-');
    expect(await asAdmin('/editid 301|302')).toBe('✅ ID produk 301 diubah menjadi 302.');
    expect(await asAdmin('/editid 302|201')).toBe('❌ ID itu sudah dipakai produk lain.');
    await asAdmin('/editcategory 302|Kreatif');
    await asAdmin('/editsold 302|10');
    expect(await asAdmin('/editsold 302|-4')).toBe('✅ Terjual produk 302 sekarang 6.');
    expect(await chat.confirmAsAdmin('/disc 302|10%')).toBe('✅ Diskon produk 302: 10% (harga Rp27.000).');
    expect(await asAdmin('/discat Kreatif|5000')).toBe('✅ Diskon kategori Kreatif: Rp5.000.');
    expect(await asAdmin('/priceress 302|25000')).toBe('✅ Harga reseller produk 302: Rp25.000.');
    expect(await chat.sys.stack.catalog.product(302)).toMatchObject({
      category: 'Kreatif',
      soldCount: 6,
      price: 27_000,
      resellerPrice: 25_000,
      categoryDiscount: { type: 'nominal', value: 5000 },
    });
    for (const bad of [
      '/editid 302',
      '/editcategory 302',
      '/editsold 302|x',
      '/disc 302|200%',
      '/discat Kreatif',
      '/priceress 302|-',
    ]) {
      expect(await asAdmin(bad)).toMatch(/^Format salah/);
    }
    await customerGetsNothing('/disc 302|100%');
    expect((await chat.sys.stack.catalog.product(302)).price).toBe(27_000);
    expect(await asAdmin('/del 302')).toBe('🗑️ Produk 302 disembunyikan (riwayat tetap disimpan).');
    expect((await chat.sys.stack.catalog.product(302, { includeInactive: true })).isActive).toBe(false);
  });

  it('/addstock with 1,000 lines (blanks and duplicates among them): the reply matches the database', async () => {
    await asAdmin('/add 401|Lisensi|Software|15000|-');
    // 1,000 lines: 800 distinct codes, 100 repeats of earlier ones, 100 blank (some only spaces).
    const codes = Array.from({ length: 800 }, (_, i) => i.toString(36).padStart(2, '0'));
    const lines: string[] = [];
    for (let i = 0; i < 800; i++) {
      lines.push(codes[i]);
      if (i % 8 === 7) lines.push(codes[i - 3]);
      if (i % 8 === 3) lines.push(i % 16 === 3 ? '' : '  ');
    }
    expect(lines).toHaveLength(1000);
    const text = `/addstock 401|${lines.join('\n')}`;
    expect(text.length).toBeLessThanOrEqual(4096); // one Telegram message
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.send(text);
    const reply = await chat.admin.waitFor(
      (m: Msg) => m.from === 'bot' && /stok ditambahkan/.test(m.text ?? ''),
      {
        after,
      },
    );
    expect(reply.text).toBe(
      '✅ 800 stok ditambahkan ke produk 401. Dilewati: 200 (100 kosong, 100 duplikat; daftar baris di file). Stok sekarang: 800.',
    );
    const file = await chat.admin.waitFor((m: Msg) => m.document !== undefined, { after });
    const listed = file.document!.bytes.toString().trim().split('\n');
    expect(listed).toHaveLength(200);
    const expected = lines
      .map((l, i) =>
        l.trim() === '' ? `baris ${i + 1}: kosong` : lines.indexOf(l) < i ? `baris ${i + 1}: duplikat` : '',
      )
      .filter(Boolean);
    expect(listed).toEqual(expected);
    const rows = await chat.sys.stack.sql<{ n: number; distinct: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT content)::int AS distinct FROM catalog.stock_items WHERE product_id = 401 AND status = 'available'",
    );
    expect(rows).toEqual([{ n: 800, distinct: 800 }]);
    expect((await chat.sys.stack.catalog.product(401)).stock).toBe(800);
  });

  it('every product and stock command is on the permanent record, with the admin as actor', async () => {
    const entries = await chat.sys.stack.auditSql<{
      actor: string;
      action: string;
      target: string;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }>(
      "SELECT actor, action, target_type || ':' || target_id AS target, before, after FROM audit_log WHERE target_type IN ('product', 'category') ORDER BY id",
    );
    expect(entries.every((e) => e.actor === String(ADMIN_ID))).toBe(true);
    const of = (target: string) => entries.filter((e) => e.target === target).map((e) => e.action);
    expect(of('product:201')).toEqual([
      'product.add',
      'stock.add',
      'stock.export',
      'stock.delete',
      'stock.delete_all',
    ]);
    expect(of('product:301')).toEqual(['product.add', 'product.change_id']);
    expect(of('product:302')).toEqual([
      'product.edit',
      'product.sold_count',
      'product.sold_count',
      'product.discount',
      'product.edit',
      'product.delete',
    ]);
    expect(of('category:Kreatif')).toEqual(['category.discount']);
    const find = (target: string, action: string) =>
      entries.filter((e) => e.target === target && e.action === action);
    expect(find('product:301', 'product.change_id')[0]).toMatchObject({
      before: { id: 301 },
      after: { id: 302 },
    });
    expect(find('product:302', 'product.sold_count').map((e) => [e.before, e.after])).toEqual([
      [{ soldCount: 0 }, { soldCount: 10 }],
      [{ soldCount: 10 }, { soldCount: 6 }],
    ]);
    expect(find('product:302', 'product.delete')[0]).toMatchObject({
      before: { isActive: true },
      after: { isActive: false },
    });
    expect(find('category:Kreatif', 'category.discount')[0]).toMatchObject({
      before: { discount: null },
      after: { discount: { type: 'nominal', value: 5000 } },
    });
    expect(find('product:201', 'stock.export')[0]).toMatchObject({ after: { exported: 2 } });
    expect(find('product:201', 'stock.add')[0]).toMatchObject({
      before: { stock: 0 },
      after: { stock: 2, added: 2, skipped: 2 },
    });
    // Never the stock contents themselves.
    expect(JSON.stringify(entries)).not.toMatch(/s1:p1|s2:p2/);
    // Refused and non-admin commands left nothing: no entry for the product a customer tried to add.
    expect(of('product:555')).toEqual([]);
  });
});
