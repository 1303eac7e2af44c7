import { PNG } from 'pngjs';
import { useAdminChat, textOf, type Msg } from './admin-chat';
import { eventually } from './eventually';

type Shown = Msg & { inlineKeyboard?: { text: string }[][] };
const buttons = (m: Shown) => (m.inlineKeyboard ?? []).flatMap((r) => r.map((b) => b.text));

describe('a customer searches the catalog by a word', () => {
  const chat = useAdminChat();
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const { catalog } = chat.sys.stack;
    const add = async (name: string, category: string) => {
      ids[name] = (await catalog.addProduct({ name, category, price: 10_000 })).id;
      await catalog.addStock(ids[name], [`${name}-1`]);
    };
    await add('Netflix Premium', 'Streaming');
    await add('Spotify Family', 'Musik');
    await add('Diskon 100% Asli', 'Promo');
    await add('Akun_Game', 'Game');
    for (let i = 1; i <= 12; i++) await add(`Canva Pro ${i}`, 'Desain');
  });

  /** What the bot answers to `text`, typed by the customer. */
  const customerTypes = async (text: string): Promise<Shown> => {
    const after = chat.customer.messages().at(-1)?.id ?? 0;
    await chat.customer.send(text);
    return chat.customer.waitFor((m: Msg) => m.from === 'bot', { after }) as Promise<Shown>;
  };

  it('finds products by name or category, in any case', async () => {
    const byName = await customerTypes('netFLIX');
    expect(textOf(byName)).toMatch(/^🔎 Hasil pencarian "netFLIX" \(halaman 1\/1\)/);
    expect(buttons(byName)).toEqual([`${ids['Netflix Premium']}. Netflix Premium`, 'Kembali']);
    const byCategory = await customerTypes('musik');
    expect(buttons(byCategory)).toEqual([`${ids['Spotify Family']}. Spotify Family`, 'Kembali']);
  });

  it('takes % and _ as the characters they are, not as wildcards', async () => {
    expect(buttons(await customerTypes('%'))).toEqual([
      `${ids['Diskon 100% Asli']}. Diskon 100% Asli`,
      'Kembali',
    ]);
    expect(buttons(await customerTypes('_'))).toEqual([`${ids['Akun_Game']}. Akun_Game`, 'Kembali']);
  });

  it('pages the results like the lists', async () => {
    const first = await customerTypes('canva pro');
    expect(textOf(first)).toContain('(halaman 1/2)');
    expect(buttons(first)).toContain('➡️ Selanjutnya 2/2');
    await chat.customer.pressOn(first.id, '➡️ Selanjutnya 2/2');
    const second = (await chat.customer.waitFor(
      (m: Msg) => m.id === first.id && textOf(m).includes('(halaman 2/2)'),
    )) as Shown;
    expect(buttons(second)).toEqual([
      `${ids['Canva Pro 11']}. Canva Pro 11`,
      `${ids['Canva Pro 12']}. Canva Pro 12`,
      '⬅️ Sebelumnya',
      'Kembali',
    ]);
  });

  it('says when nothing matches and shows the categories; a number still opens the product', async () => {
    const none = await customerTypes('zzz tidak ada');
    expect(textOf(none)).toMatch(
      /^🔎 Tidak ada produk yang cocok dengan "zzz tidak ada"\. Coba kata lain, atau pilih kategori:\n\n📂 Kategori/,
    );
    expect(buttons(none)).toEqual(expect.arrayContaining(['Streaming (1)', 'Desain (12)', 'Kembali']));
    const product = await customerTypes(String(ids['Spotify Family']));
    expect(textOf(product)).toContain('📦 Spotify Family');
    expect(textOf(await customerTypes('x'.repeat(41)))).toContain('tidak mengerti');
  });
});

describe('product pictures', () => {
  const chat = useAdminChat();
  let id: number;
  let longId: number;
  const png = PNG.sync.write(new PNG({ width: 16, height: 16 }));

  beforeAll(async () => {
    const { catalog } = chat.sys.stack;
    id = (await catalog.addProduct({ name: 'Canva Foto', category: 'Desain', price: 15_000 })).id;
    await catalog.addStock(id, ['f1', 'f2', 'f3']);
    longId = (
      await catalog.addProduct({
        name: 'Panjang',
        price: 5_000,
        description: 'Deskripsi panjang. '.repeat(150),
      })
    ).id;
    await catalog.addStock(longId, ['p1']);
  });

  const adminSendsPhoto = async (caption: string) => {
    const after = chat.admin.messages().at(-1)?.id ?? 0;
    await chat.admin.sendPhoto(png, caption);
    return textOf(await chat.admin.waitFor((m: Msg) => m.from === 'bot', { after }));
  };
  const customerOpens = async (productId: number) => {
    const after = chat.customer.messages().at(-1)?.id ?? 0;
    await chat.customer.send(String(productId));
    return (await chat.customer.waitFor((m: Msg) => m.from === 'bot', { after })) as Shown;
  };
  const stillShown = (m: Msg) => chat.customer.messages().some((x: Msg) => x.id === m.id);

  it('an admin sets a picture with a captioned photo; it is stored and audited', async () => {
    expect(await adminSendsPhoto(`/setimage ${id}`)).toBe(
      `🖼️ Gambar produk ${id} disimpan; detail produk sekarang tampil dengan foto.`,
    );
    expect((await chat.sys.stack.catalog.product(id)).imageFileId).toEqual(expect.any(String));
    expect(await adminSendsPhoto('/setimage 999999')).toBe('❌ Produk tidak ditemukan.');
    expect(await chat.asAdmin(`/setimage ${id}`)).toMatch(
      /^Format salah[\s\S]*\/setimage id sebagai caption/,
    );
    await chat.customerGetsNothing(`/setimage ${id} off`);
    expect((await chat.sys.stack.catalog.product(id)).imageFileId).not.toBeNull();
    const audit = await chat.sys.stack.auditSql<{ actor: string; after: { imageFileId: string } }>(
      "SELECT actor, after FROM audit_log WHERE action = 'product.image' AND target_id = $1",
      [String(id)],
    );
    expect(audit).toEqual([{ actor: String(chat.admin.id), after: { imageFileId: expect.any(String) } }]);
  });

  it('the detail is the photo with the detail as its caption; + edits it in place; leaving it deletes it', async () => {
    const detail = await customerOpens(id);
    expect(detail.photo).toBeDefined();
    expect(textOf(detail)).toMatch(/^📦 Canva Foto\n💰 Harga: Rp15\.000[\s\S]*🔢 Jumlah: 1/);
    await chat.customer.pressOn(detail.id, '+');
    await chat.customer.waitFor((m: Msg) => m.id === detail.id && textOf(m).includes('🔢 Jumlah: 2'));
    await chat.customer.pressOn(detail.id, 'Lanjut ke pembayaran');
    await chat.customer.waitForText('Ringkasan Pesanan');
    expect(stillShown(detail)).toBe(false);

    // From a text list to the photo: the list goes, the photo comes.
    await chat.customer.send('LIST PRODUK'); // the reply keyboard's button
    const list = await chat.customer.waitForText('Semua Produk');
    await chat.customer.pressOn(list.id, `${id}. Canva Foto`);
    const fromList = await chat.customer.waitFor((m: Msg) => m.id > list.id && m.photo !== undefined);
    // The photo is sent first, then the list deleted (the screen is never empty).
    await eventually(
      () => stillShown(list),
      (shown) => !shown,
      'the list deleted',
    );
    await chat.customer.pressOn(fromList.id, 'Batalkan');
    await chat.customer.waitFor((m: Msg) => m.id > fromList.id && textOf(m).includes('Selamat datang'));
    expect(stillShown(fromList)).toBe(false);
  });

  it('a long description is cut to fit the caption limit', async () => {
    expect(await adminSendsPhoto(`/setimage ${longId}`)).toContain('disimpan');
    const detail = await customerOpens(longId);
    expect(detail.photo).toBeDefined();
    expect(textOf(detail).length).toBeLessThanOrEqual(1024);
    expect(textOf(detail)).toMatch(/…\n\n🔢 Jumlah: 1\n💵 Total: Rp5\.000$/);
  });

  it('/setimage <id> off removes it: the detail is text again', async () => {
    expect(await chat.asAdmin(`/setimage ${id} off`)).toBe(
      `🗑️ Gambar produk ${id} dihapus; detail produk tampil sebagai teks.`,
    );
    const detail = await customerOpens(id);
    expect(detail.photo).toBeUndefined();
    expect(textOf(detail)).toContain('📦 Canva Foto');
  });
});
