import { startAdminChat, type AdminChat, type Msg } from './admin-chat';

describe('admin product commands through the bot', () => {
  let chat: AdminChat;
  beforeAll(async () => {
    chat = await startAdminChat();
  });
  afterAll(() => chat?.close());
  const asAdmin = (text: string) => chat.asAdmin(text);
  const customerGetsNothing = (text: string) => chat.customerGetsNothing(text);

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
    expect(await asAdmin('/disc 302|10%')).toBe('✅ Diskon produk 302: 10% (harga Rp27.000).');
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
});
