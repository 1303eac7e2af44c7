/**
 * Every text a customer or admin sees, in Bahasa Indonesia (FEATURES.md; templates as written there).
 * Renderers take typed data and return HTML text; handlers decide, these format.
 */
import type { ProductDetail, ProductSummary } from '@quickcart/catalog/contract';
import type { CheckoutQuote, Order, RefundEstimate, User } from '@quickcart/orders/contract';
import { esc, orNone, rp, wibDate } from './format';

export const text = {
  banned: '🚫 Akun Anda diblokir. Hubungi admin jika ini sebuah kesalahan.',
  tooFast: '⚠️ Kamu terlalu cepat. Tunggu sebentar ya, lalu coba lagi.',
  unknown: 'Maaf, saya tidak mengerti pesan itu. Gunakan tombol menu di bawah atau ketik /help.',
  staleButton: 'Tombol ini sudah tidak berlaku. Silakan buka menu lagi.',
  askName: '👋 Selamat datang! Siapa nama Anda?\n(Tekan "Lewati" atau ketik /skip untuk melewati)',
  askWhatsapp:
    '📱 Nomor WhatsApp Anda? (8–15 digit, boleh diawali + atau 0)\n(Tekan "Lewati" atau ketik /skip untuk melewati)',
  askEmail: '📧 Alamat email Anda?\n(Tekan "Lewati" atau ketik /skip untuk melewati)',
  badName: '❌ Nama tidak boleh kosong dan maksimal 64 karakter. Silakan kirim lagi.',
  badWhatsapp:
    '❌ Nomor WhatsApp harus 8–15 digit, boleh diawali + atau 0. Contoh: 081234567890. Silakan kirim lagi.',
  badEmail: '❌ Itu bukan alamat email yang valid. Contoh: nama@email.com. Silakan kirim lagi.',
  emailTaken: '❌ Email ini sudah dipakai akun lain. Silakan kirim email lain.',
  editName: '✏️ Kirim nama baru Anda:',
  editEmail: '✏️ Kirim email baru Anda:',
  editWhatsapp: '✏️ Kirim nomor WhatsApp baru Anda:',
  saved: '✅ Data berhasil disimpan.',
  noCategories: 'Belum ada kategori produk.',
  noProducts: 'Belum ada produk.',
  noBestSellers: 'Belum ada produk terlaris.',
  noTopBuyers: 'Belum ada pembeli.',
  productGone: '❌ Produk tidak ditemukan atau sudah tidak dijual. Berikut daftar produk yang tersedia:',
  outOfStock: '❌ Stok produk ini sedang habis. Berikut daftar produk yang tersedia:',
  notEnoughStock: (available: number) =>
    `❌ Stok tidak cukup. Tersedia ${available}. Silakan kurangi jumlah.`,
  qtyMin: 'Jumlah minimal 1',
  qtyMax: (stock: number) => `Jumlah maksimal ${stock} (stok tersedia)`,
  insufficientBalance: '❌ Saldo tidak mencukupi. Silakan deposit atau gunakan QRIS.',
  qrisBelowMinimum: (minimum: number) =>
    `❌ Pembayaran QRIS minimal ${rp(minimum)}. Total ini bisa dibayar dengan SALDO (tanpa biaya).`,
  creatingInvoice: '⏳ Membuat invoice QRIS...',
  paying: '⏳ Memproses pembayaran dengan saldo...',
  cancelled: 'Dibatalkan. Silakan pilih menu lain.',
  checkingPayment: '⏳ Mengecek…',
  unpaid: 'Pembayaran belum diterima (belum dibayar).',
  paidProcessing: '✅ Pembayaran diterima! Pesanan sedang diproses.',
  invoiceClosed: 'Invoice ini sudah tidak aktif.',
  invoiceCancelling: 'Invoice dibatalkan.',
  depositMenu: '💰 Pilih jumlah deposit:',
  depositAskAmount: '💰 Ketik jumlah deposit (minimal Rp10.000, maksimal Rp10.000.000). Contoh: 50000',
  depositBadAmount: '❌ Jumlah deposit harus angka antara Rp10.000 dan Rp10.000.000. Contoh: 50000',
  contactAsk: '✉️ Silakan kirim pesan untuk admin (teks, atau satu foto dengan keterangan).',
  contactSent: '✅ Pesan Anda sudah diteruskan ke admin. Balasan akan dikirim di sini.',
  tryAgain: '⚠️ Terjadi gangguan. Silakan coba lagi sebentar lagi.',
  voucherAsk: '🎟️ Ketik kode voucher Anda:',
  voucherInvalid: 'Kode voucher tidak valid atau sudah digunakan.',
  voucherExpired: 'Voucher sudah expired atau tidak berlaku.',
  voucherCooldown: 'Anda baru saja menggunakan voucher. Tunggu 5 menit untuk menggunakan voucher lagi.',
  voucherApplied: (amount: number) =>
    `Voucher berhasil diterapkan! Diskon ${rp(amount)} telah dipotong dari total pesanan.`,
  voucherCoversAll: 'Voucher menutup seluruh total pesanan: pilih SALDO (tidak ada yang dibayar).',
  menuKeyboard: '⌨️ Menu siap. Gunakan tombol di bawah.',
  help: [
    '<b>Bantuan QuickCart</b>',
    '/start - menu utama',
    '/stock - stok produk',
    '/order - cara memesan',
    '/refund INV... - perkiraan refund pesanan Anda',
    '/help - bantuan ini',
    '',
    'Cara beli: kirim nomor produk (atau tekan tombolnya), atur jumlah, tekan "Lanjut ke pembayaran", lalu pilih QRIS atau SALDO.',
  ].join('\n'),
  order: [
    '<b>Cara memesan</b>',
    '1. Buka LIST PRODUK atau kirim nomor produk.',
    '2. Atur jumlah dengan tombol - / + / +2 / +5 / +10.',
    '3. Tekan "Lanjut ke pembayaran" dan periksa ringkasan.',
    '4. Pilih QRIS (scan QR, berlaku 10 menit) atau SALDO.',
    '5. Produk dikirim otomatis di chat ini setelah pembayaran diterima.',
  ].join('\n'),
  refundUsage: 'Format salah. Contoh penggunaan yang benar:\n/refund INV261125AB12CD',
  refundNotFound: '❌ Invoice tidak ditemukan di pesanan Anda yang sudah dibayar.',
};

export function mainMenu(a: {
  name: string;
  storeName: string;
  totalUsers: number;
  totalTransactions: number;
  docsUrl: string;
}): string {
  return [
    `ᯓ Halo <b>${esc(a.name)}</b> 👋🏻`,
    `Selamat datang di <b>${esc(a.storeName)}</b>`,
    '',
    `⤷ <b>Total Pengguna: ${a.totalUsers} Orang</b>`,
    `⤷ <b>Total Transaksi: ${a.totalTransactions}x</b>`,
    '',
    `Dokumentasi: <a href="${esc(a.docsUrl)}">Baca Disini</a>`,
    'Silakan tombol dibawah ini untuk melihat produk yang tersedia.',
  ].join('\n');
}

export function productList(
  title: string,
  items: ProductSummary[],
  page: number,
  totalPages: number,
): string {
  const lines = items.map((p) => `${p.id}. ${esc(p.name)} — ${rp(p.price)} (stok ${p.stock})`);
  return [
    `<b>${esc(title)}</b> (halaman ${page}/${totalPages})`,
    '',
    ...lines,
    '',
    'Kirim nomor produk atau tekan tombolnya.',
  ].join('\n');
}

export const bestSellers = (items: ProductSummary[]) =>
  [
    '<b>🔥 Produk Terlaris</b>',
    '',
    ...items.map((p, i) => `${i + 1}. ${esc(p.name)} — terjual ${p.soldCount} (stok ${p.stock})`),
  ].join('\n');

const BADGES = ['🥇', '🥈', '🥉'];
export const topBuyers = (items: { name: string; total: number; orders: number }[]) =>
  [
    '<b>🏆 Top Buyers</b>',
    '',
    ...items.map(
      (b, i) => `${BADGES[i] ?? `${i + 1}.`} ${esc(b.name)} — ${rp(b.total)} (${b.orders} pesanan)`,
    ),
  ].join('\n');

export function productDetail(p: ProductDetail, qty: number): string {
  const price = p.price !== p.originalPrice ? `<s>${rp(p.originalPrice)}</s> ${rp(p.price)}` : rp(p.price);
  return [
    `📦 <b>${esc(p.name)}</b>`,
    `💰 Harga: ${price}`,
    `📊 Stok tersedia: ${p.stock}`,
    `🔥 Terjual: ${p.soldCount}`,
    `📝 ${esc(p.description)}`,
    '',
    `🔢 Jumlah: <b>${qty}</b>`,
    `💵 Total: <b>${rp(p.price * qty)}</b>`,
  ].join('\n');
}

/** §2.5: "Total pesanan / Biaya pembayaran / Total tagihan". */
export function checkoutSummary(q: CheckoutQuote): string {
  return [
    '🧾 <b>Ringkasan Pesanan</b>',
    `📦 Produk: ${esc(q.productName)}`,
    `💰 Harga satuan: ${rp(q.unitPrice)}`,
    `🔢 Jumlah: ${q.quantity}`,
    `Subtotal: ${rp(q.subtotal)}`,
    ...(q.voucherDiscount > 0 ? [`🎟️ Diskon voucher: -${rp(q.voucherDiscount)}`] : []),
    '',
    `Total pesanan: ${rp(q.subtotal - q.voucherDiscount)}`,
    `Biaya pembayaran (QRIS): ${rp(q.qrisFee)}`,
    `Total tagihan (QRIS): <b>${rp(q.qrisTotal)}</b>`,
    `Bayar dengan SALDO: <b>${rp(q.balanceTotal)}</b> (tanpa biaya)`,
    ...(q.balanceTotal > 0 && q.balanceTotal < q.qrisMinimum
      ? ['', text.qrisBelowMinimum(q.qrisMinimum)]
      : []),
    '',
    'Pilih metode pembayaran:',
  ].join('\n');
}

export const saldoConfirm = (q: CheckoutQuote) =>
  [
    '💳 <b>Konfirmasi pembayaran dengan saldo</b>',
    `Total: ${rp(q.balanceTotal)}`,
    `Saldo sekarang: ${rp(q.balance)}`,
    `Saldo setelah: ${rp(q.balance - q.balanceTotal)}`,
  ].join('\n');

const ROLE = { customer: 'Customer', reseller: 'Reseller', admin: 'Admin' } as const;
export const account = (u: User) =>
  [
    '👤 <b>Akun Anda</b>',
    `ID: <code>${u.id}</code>`,
    `Nama: ${esc(u.name)}`,
    `Username: ${u.username ? '@' + esc(u.username) : 'Tidak ada'}`,
    `Email: ${orNone(u.email)}`,
    `WhatsApp: ${orNone(u.whatsapp)}`,
    `Saldo: <b>${rp(u.balance)}</b>`,
    `Bank ID: <code>${u.bankId}</code>`,
    `Status: ${u.isAdmin ? ROLE.admin : ROLE[u.role]}`,
  ].join('\n');

const STATUS = {
  pending: 'pending',
  paid: 'paid',
  expired: 'expired',
  cancelled: 'cancelled',
  failed: 'failed',
  payment_unknown: 'dicek admin',
} as const;
export function history(items: Order[], page: number, totalPages: number): string {
  if (items.length === 0) return '📜 Belum ada transaksi.';
  const lines = items.map((o) => {
    const what = o.kind === 'deposit' ? 'Deposit' : `${esc(o.productName ?? '')} x${o.quantity}`;
    return `🧾 <code>${o.invoiceId}</code>\n   ${wibDate(o.createdAt)} • ${what} • ${rp(o.total)} • ${STATUS[o.status]}`;
  });
  return [`📜 <b>Riwayat Transaksi</b> (halaman ${page}/${totalPages})`, '', ...lines].join('\n');
}

export const stockList = (items: ProductSummary[]) =>
  items.length === 0
    ? '📦 Semua produk sedang habis.'
    : ['📦 <b>Stok Produk</b>', '', ...items.map((p) => `${p.id}. ${esc(p.name)} — stok ${p.stock}`)].join(
        '\n',
      );

export const refundEstimate = (r: RefundEstimate) =>
  [
    `💸 <b>Perkiraan refund ${r.invoiceId}</b>`,
    `Harga beli: ${rp(r.purchasePrice)}`,
    `Hari terpakai: ${r.daysUsed} dari ${r.baseDays}`,
    `Klaim garansi: ${r.claims}`,
    `Pengali: ${r.multiplier}`,
    `Rumus: ${rp(r.purchasePrice)} × (${r.baseDays} − ${r.daysUsed}) / ${r.baseDays} × ${r.multiplier}`,
    `Perkiraan refund: <b>${rp(r.refund)}</b>`,
    '',
    'Ini hanya perkiraan; refund dibayarkan oleh admin.',
  ].join('\n');

export const forwardedToAdmin = (u: { id: number; name: string; username: string | null }, body: string) =>
  `📩 <b>Pesan dari ${esc(u.name)}</b> (${u.username ? '@' + esc(u.username) : 'tanpa username'}, ID <code>${u.id}</code>)\n\n${esc(body)}\n\n<i>Balas pesan ini untuk menjawab.</i>`;

export const adminReply = (body: string) => `💬 <b>Balasan admin:</b>\n${esc(body)}`;
