import { Conflict, NotFound } from '@quickcart/kit';
import { Input } from 'telegraf';
import type { BotDeps, ShopContext } from '../context';
import { esc, rp } from '../format';
import { actor, defineCommand, discountArg, orDefault, positiveInt, rupiahArg, signedInt } from './command';

const SKIP_REASON = { blank: 'kosong', duplicate: 'duplikat' } as const;
/** Skipped lines listed in the reply up to this many; more go to a file (Telegram's 4096-char limit). */
const MAX_SKIPPED_INLINE = 30;
const discountText = (d: { type: 'percent' | 'nominal'; value: number } | null) =>
  d === null ? 'tidak ada' : d.type === 'percent' ? `${d.value}%` : rp(d.value);

/** Catalog writes on behalf of the admin who sent the command: catalog audits them with their id. */
const writer = (d: BotDeps, ctx: ShopContext) => d.catalog.as(actor(ctx));

/** FEATURES.md §3.2, products: each calls the catalog, which owns every rule. */

export const productCommands = [
  defineCommand({
    name: 'add',
    format: '/add id|nama|kategori|harga|deskripsi',
    example: '/add 101|Netflix|Streaming|50000|Akun premium.  (- untuk id/kategori/deskripsi otomatis)',
    parse: ([id, name, category, price, description]) => {
      const autoId = orDefault(id) === undefined;
      const parsedPrice = rupiahArg(price);
      if (!name || name === '-' || !parsedPrice || (!autoId && !positiveInt(id))) return undefined;
      return {
        id: autoId ? null : positiveInt(id)!,
        name,
        category: orDefault(category) ?? null,
        price: parsedPrice,
        description: orDefault(description) ?? null,
      };
    },
    run: async (d, ctx, a) => {
      const p = await writer(d, ctx).addProduct(a);
      await ctx.reply(
        `✅ Produk ditambahkan: ${p.id}. ${esc(p.name)} — ${rp(p.customerPrice)} (${esc(p.category)})`,
        { parse_mode: 'HTML' },
      );
    },
  }),
  defineCommand({
    name: 'addstock',
    format: '/addstock id|isi stok (satu baris satu item)',
    example: '/addstock 101|akun1:pass1',
    parse: (_args, raw) => {
      const bar = raw.indexOf('|');
      const id = positiveInt(raw.slice(0, bar).trim());
      const lines = raw.slice(bar + 1).split('\n');
      return bar < 0 || !id || lines.every((l) => l.trim() === '') ? undefined : { id, lines };
    },
    run: async (d, ctx, a) => {
      const r = await writer(d, ctx).addStock(a.id, a.lines);
      const skipped = r.skipped.map((s) => `baris ${s.line}: ${SKIP_REASON[s.reason]}`);
      const head = `✅ ${r.added} stok ditambahkan ke produk ${a.id}. Dilewati: ${r.skipped.length}`;
      const tail = `. Stok sekarang: ${r.stock}.`;
      if (skipped.length <= MAX_SKIPPED_INLINE) {
        return void (await ctx.reply(`${head}${skipped.length ? ` (${skipped.join(', ')})` : ''}${tail}`));
      }
      // A long list would pass Telegram's message limit: counts by reason here, every line in a file.
      const byReason = (['blank', 'duplicate'] as const)
        .map((reason) => [r.skipped.filter((s) => s.reason === reason).length, SKIP_REASON[reason]] as const)
        .filter(([n]) => n > 0)
        .map(([n, why]) => `${n} ${why}`);
      await ctx.reply(`${head} (${byReason.join(', ')}; daftar baris di file)${tail}`);
      await ctx.replyWithDocument(
        Input.fromBuffer(Buffer.from(skipped.join('\n') + '\n'), `stok-dilewati-${a.id}.txt`),
      );
    },
  }),
  defineCommand({
    name: 'del',
    format: '/del id',
    example: '/del 101',
    parse: ([id, ...rest]) => (rest.length === 0 && positiveInt(id) ? { id: positiveInt(id)! } : undefined),
    run: async (d, ctx, a) => {
      await writer(d, ctx).deleteProduct(a.id);
      await ctx.reply(`🗑️ Produk ${a.id} disembunyikan (riwayat tetap disimpan).`);
    },
  }),
  defineCommand({
    name: 'delstock',
    format: '/delstock id|STOCK_ID',
    example: '/delstock 101|0b6f3a52-5c1e-4f0e-9a3d-2b7e8c1d4f00',
    parse: ([id, stockId]) =>
      positiveInt(id) && stockId && /^[0-9a-f-]{36}$/i.test(stockId)
        ? { id: positiveInt(id)!, stockId }
        : undefined,
    run: async (d, ctx, a) => {
      await writer(d, ctx).deleteStockItem(a.id, a.stockId);
      await ctx.reply(`🗑️ Stok ${a.stockId} dihapus dari produk ${a.id}.`);
    },
  }),
  defineCommand({
    name: 'delallstock',
    format: '/delallstock id',
    example: '/delallstock 101',
    parse: ([id, ...rest]) => (rest.length === 0 && positiveInt(id) ? { id: positiveInt(id)! } : undefined),
    run: async (d, ctx, a) => {
      const r = await writer(d, ctx).deleteAllStock(a.id);
      await ctx.reply(
        `🗑️ ${r.deleted} stok dihapus dari produk ${a.id}; ${r.keptReserved} yang sedang dipesan tetap disimpan.`,
      );
    },
  }),
  defineCommand({
    name: 'editid',
    format: '/editid id_lama|id_baru',
    example: '/editid 101|102',
    parse: ([id, newId]) =>
      positiveInt(id) && positiveInt(newId)
        ? { id: positiveInt(id)!, newId: positiveInt(newId)! }
        : undefined,
    run: async (d, ctx, a) => {
      await writer(d, ctx).changeProductId(a.id, a.newId);
      await ctx.reply(`✅ ID produk ${a.id} diubah menjadi ${a.newId}.`);
    },
  }),
  defineCommand({
    name: 'editcategory',
    format: '/editcategory id|kategori',
    example: '/editcategory 101|Streaming',
    parse: ([id, category]) => (positiveInt(id) && category ? { id: positiveInt(id)!, category } : undefined),
    run: async (d, ctx, a) => {
      await writer(d, ctx).editProduct(a.id, { category: a.category });
      await ctx.reply(`✅ Produk ${a.id} dipindah ke kategori ${a.category}.`);
    },
  }),
  defineCommand({
    name: 'editsold',
    format: '/editsold id|jumlah (boleh negatif)',
    example: '/editsold 101|10',
    parse: ([id, delta]) =>
      positiveInt(id) && signedInt(delta) !== undefined
        ? { id: positiveInt(id)!, delta: signedInt(delta)! }
        : undefined,
    run: async (d, ctx, a) => {
      const p = await writer(d, ctx).adjustSoldCount(a.id, a.delta);
      await ctx.reply(`✅ Terjual produk ${a.id} sekarang ${p.soldCount}.`);
    },
  }),
  defineCommand({
    name: 'disc',
    format: '/disc id|diskon (10% atau 5000; 0 menghapus)',
    example: '/disc 101|10%',
    parse: ([id, disc]) =>
      positiveInt(id) && discountArg(disc)
        ? { id: positiveInt(id)!, discount: discountArg(disc)! }
        : undefined,
    run: async (d, ctx, a) => {
      const p = await writer(d, ctx).setDiscount(a.id, a.discount);
      await ctx.reply(`✅ Diskon produk ${a.id}: ${discountText(p.discount)} (harga ${rp(p.price)}).`);
    },
  }),
  defineCommand({
    name: 'discat',
    format: '/discat kategori|diskon (15% atau 5000; 0 menghapus)',
    example: '/discat Streaming|15%',
    parse: ([category, disc]) =>
      category && discountArg(disc) ? { category, discount: discountArg(disc)! } : undefined,
    run: async (d, ctx, a) => {
      const r = await writer(d, ctx).setCategoryDiscount(a.category, a.discount);
      await ctx.reply(`✅ Diskon kategori ${a.category}: ${discountText(r.discount)}.`);
    },
  }),
  defineCommand({
    name: 'priceress',
    format: '/priceress id|harga_reseller',
    example: '/priceress 101|45000',
    parse: ([id, price]) =>
      positiveInt(id) && rupiahArg(price) ? { id: positiveInt(id)!, price: rupiahArg(price)! } : undefined,
    run: async (d, ctx, a) => {
      await writer(d, ctx).editProduct(a.id, { resellerPrice: a.price });
      await ctx.reply(`✅ Harga reseller produk ${a.id}: ${rp(a.price)}.`);
    },
  }),
  defineCommand({
    name: 'exportstock',
    format: '/exportstock id',
    example: '/exportstock 101',
    parse: ([id, ...rest]) => (rest.length === 0 && positiveInt(id) ? { id: positiveInt(id)! } : undefined),
    run: async (d, ctx, a) => {
      const { items } = await writer(d, ctx).exportStock(a.id);
      if (items.length === 0)
        return void (await ctx.reply(`Produk ${a.id} tidak punya stok yang belum terjual.`));
      const body = items.map((i) => `${i.id}\t${i.status}\t${i.content}`).join('\n') + '\n';
      await ctx.replyWithDocument(Input.fromBuffer(Buffer.from(body), `stok-${a.id}.txt`), {
        caption: `📄 ${items.length} stok belum terjual produk ${a.id}`,
      });
    },
  }),
];

/** What a refusal from the catalog means to an admin. */
export function explainCatalogRefusal(error: unknown): string | undefined {
  if (error instanceof NotFound)
    return `❌ ${error.reason === 'category' ? 'Kategori' : error.reason === 'stock_item' ? 'Stok' : 'Produk'} tidak ditemukan.`;
  if (error instanceof Conflict) {
    if (error.reason === 'id_taken') return '❌ ID itu sudah dipakai produk lain.';
    if (error.reason === 'stock_item_held')
      return '❌ Stok itu sedang dipesan atau sudah terjual, tidak bisa dihapus.';
    return `❌ Ditolak: ${error.message}`;
  }
  return undefined;
}
