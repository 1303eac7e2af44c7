/**
 * Every text an admin reads, in Bahasa Indonesia (docs/features.md §3.2, §8.1), reached by key: each
 * command's format and example, its replies, the refusals worded for an admin, and the workflows'
 * notices to admins. Numbers that are rules come from the contract. The command modules (admin/*) and
 * notify/render.ts only place these, taken for the admin's language from languages.ts; admin.en.ts is
 * the English twin, key for key.
 */
import type {
  AuditRecordView,
  FraudFlag,
  Order,
  PakasirAnswer,
  SalesReport,
  StuckReason,
  User,
} from '@quickcart/orders/contract';
import {
  GIVEAWAY_MAX_CODES,
  NEVER_POLLED,
  refundFormula,
  WARRANTY_DAYS_MAX,
  WARRANTY_REASON_MAX,
} from '@quickcart/orders/contract';
import { esc, orNone, rp, wibDate } from '../format';

const FORMULA_KEYS = refundFormula.keyof().options;

/** Each command's arguments and an example: the reply to a wrong format, and the command menu. */
export const usage = {
  add: {
    format: '/add id|nama|kategori|harga|deskripsi',
    example: '/add 101|Netflix|Streaming|50000|Akun premium.  (- untuk id/kategori/deskripsi otomatis)',
  },
  addstock: { format: '/addstock id|isi stok (satu baris satu item)', example: '/addstock 101|akun1:pass1' },
  del: { format: '/del id', example: '/del 101' },
  delstock: {
    format: '/delstock id|STOCK_ID',
    example: '/delstock 101|0b6f3a52-5c1e-4f0e-9a3d-2b7e8c1d4f00',
  },
  delallstock: { format: '/delallstock id', example: '/delallstock 101' },
  editid: { format: '/editid id_lama|id_baru', example: '/editid 101|102' },
  editcategory: { format: '/editcategory id|kategori', example: '/editcategory 101|Streaming' },
  editsold: { format: '/editsold id|jumlah (boleh negatif)', example: '/editsold 101|10' },
  disc: { format: '/disc id|diskon (10% atau 5000; 0 menghapus)', example: '/disc 101|10%' },
  discat: {
    format: '/discat kategori|diskon (15% atau 5000; 0 menghapus)',
    example: '/discat Streaming|15%',
  },
  priceress: { format: '/priceress id|harga_reseller', example: '/priceress 101|45000' },
  exportstock: { format: '/exportstock id', example: '/exportstock 101' },
  info: { format: '/info user_id', example: '/info 123456789' },
  pm: { format: '/pm user_id|pesan', example: '/pm 123456789|Promo baru!' },
  transfer: { format: '/transfer user_id|jumlah', example: '/transfer 123456789|50000' },
  ban: { format: '/ban user_id', example: '/ban 123456789' },
  unban: { format: '/unban user_id', example: '/unban 123456789' },
  addadmin: { format: '/addadmin user_id', example: '/addadmin 123456789' },
  rmadmin: { format: '/rmadmin user_id', example: '/rmadmin 123456789' },
  addreseller: { format: '/addreseller user_id', example: '/addreseller 123456789' },
  rmress: { format: '/rmress user_id', example: '/rmress 123456789' },
  editbalance: { format: '/editbalance user_id|saldo_baru', example: '/editbalance 123456789|150000' },
  giveaway: {
    format: `/giveaway nominal|jumlah (jumlah 1–${GIVEAWAY_MAX_CODES})`,
    example: '/giveaway 10000|10',
  },
  whitelist: { format: '/whitelist chat_id_grup', example: '/whitelist -100123456789' },
  rm: { format: '/rm chat_id_grup', example: '/rm -100123456789' },
  setformula: {
    format: `/setformula atau /setformula key=nilai (key: ${FORMULA_KEYS.join(', ')})`,
    example: '/setformula m_lt7=0.8',
  },
  version: { format: '/version', example: '/version' },
  audit: {
    format: '/audit user user_id, /audit invoice INV…, atau /audit jumlah (maks. 50)',
    example: '/audit user 123456789',
  },
  report: {
    format: '/report [today|week|month|YYYY-MM-DD..YYYY-MM-DD] (tanpa periode: today)',
    example: '/report 2026-12-01..2026-12-07',
  },
  exportorders: {
    format: '/exportorders today|week|month|YYYY-MM-DD..YYYY-MM-DD',
    example: '/exportorders month',
  },
  setimage: {
    format: '/setimage id sebagai caption sebuah foto, atau /setimage id off untuk menghapus',
    example: '/setimage 101 (caption foto produk)',
  },
  setwarranty: {
    format: `/setwarranty id_produk hari (0–${WARRANTY_DAYS_MAX}; 0 = tanpa garansi)`,
    example: '/setwarranty 101 14',
  },
  stuck: { format: '/stuck atau /stuck halaman', example: '/stuck 2' },
  broadcast: {
    format:
      '/broadcast pesan (atau kirim foto dengan caption /broadcast pesan, atau balas sebuah pesan dengan /broadcast)',
    example: '/broadcast Promo akhir tahun! Diskon 20% semua produk.',
  },
  lang: { format: '/lang id|en (id: Bahasa Indonesia, en: English)', example: '/lang en' },
};

type Discount = { type: 'percent' | 'nominal'; value: number } | null;
const discountText = (d: Discount) =>
  d === null ? 'tidak ada' : d.type === 'percent' ? `${d.value}%` : rp(d.value);
const SKIP_REASON = { blank: 'kosong', duplicate: 'duplikat' } as const;
type SkipReason = keyof typeof SKIP_REASON;
const username = (u: { username: string | null }, none: string) =>
  u.username ? '@' + esc(u.username) : none;

/** Broadcast counts, in the progress screen and in the report when it ends. */
const broadcastCounts = (p: { sent: number; failed: number; blocked: number }) => [
  `✅ Terkirim: ${p.sent}`,
  `❌ Gagal: ${p.failed} (memblokir bot: ${p.blocked})`,
];

/** An anti-fraud flag in an admin's words (docs/features.md §4): what crossed which line. */
const FRAUD_RULE: Record<FraudFlag['rule'], (f: { value: number; threshold: number }) => string> = {
  payments_per_hour: (f) => `${f.value} pembayaran dalam 1 jam (batas ${f.threshold})`,
  daily_total: (f) => `total ${rp(f.value)} dalam 24 jam (batas ${rp(f.threshold)})`,
  large_transaction: (f) => `satu transaksi ${rp(f.value)} (batas ${rp(f.threshold)})`,
  young_account: (f) => `akun baru membeli ${rp(f.value)} (batas ${rp(f.threshold)})`,
  small_transactions: (f) => `${f.value} transaksi kecil dalam 1 jam (batas ${f.threshold})`,
};
const fraudText = (f: { rule: string; value: number; threshold: number }) =>
  FRAUD_RULE[f.rule as FraudFlag['rule']]?.(f) ?? esc(f.rule);

type WarrantyDecisionName = 'replace' | 'refund' | 'reject';
const WARRANTY_DECISION: Record<WarrantyDecisionName, string> = {
  replace: '🔁 ganti produk',
  refund: '💸 refund ke saldo',
  reject: '❌ tolak',
};

/** Why /stuck lists an order. */
const STUCK_REASON: Record<StuckReason, string> = {
  delivery_failed: '🚨 pengiriman gagal',
  payment_unknown: '❓ status pembayaran tidak pasti',
  overdue: '⏰ lewat batas waktu',
};

export const adminText = {
  formatError: (c: { format: string; example: string }) =>
    `Format salah. Contoh penggunaan yang benar:\n${c.format}\nContoh: ${c.example}`,
  refusedInput: (formatError: string, why: string) => `${formatError}\n(${why})`,

  // products
  productAdded: (p: { id: number; name: string; customerPrice: number; category: string }) =>
    `✅ Produk ditambahkan: ${p.id}. ${esc(p.name)} — ${rp(p.customerPrice)} (${esc(p.category)})`,
  stockAdded: (r: { id: number; added: number; skipped: number; stock: number }, detail?: string) =>
    `✅ ${r.added} stok ditambahkan ke produk ${r.id}. Dilewati: ${r.skipped}${detail ? ` (${detail})` : ''}. Stok sekarang: ${r.stock}.`,
  skippedLine: (line: number, reason: SkipReason) => `baris ${line}: ${SKIP_REASON[reason]}`,
  skippedCount: (count: number, reason: SkipReason) => `${count} ${SKIP_REASON[reason]}`,
  skippedInFile: (counts: string[]) => `${counts.join(', ')}; daftar baris di file`,
  skippedFileName: (id: number) => `stok-dilewati-${id}.txt`,
  productHidden: (id: number) => `🗑️ Produk ${id} disembunyikan (riwayat tetap disimpan).`,
  stockItemDeleted: (id: number, stockId: string) => `🗑️ Stok ${stockId} dihapus dari produk ${id}.`,
  allStockDeleted: (id: number, r: { deleted: number; keptReserved: number }) =>
    `🗑️ ${r.deleted} stok dihapus dari produk ${id}; ${r.keptReserved} yang sedang dipesan tetap disimpan.`,
  productIdChanged: (id: number, newId: number) => `✅ ID produk ${id} diubah menjadi ${newId}.`,
  categoryChanged: (id: number, category: string) => `✅ Produk ${id} dipindah ke kategori ${category}.`,
  soldCount: (id: number, soldCount: number) => `✅ Terjual produk ${id} sekarang ${soldCount}.`,
  productDiscount: (id: number, discount: Discount, price: number) =>
    `✅ Diskon produk ${id}: ${discountText(discount)} (harga ${rp(price)}).`,
  categoryDiscount: (category: string, discount: Discount) =>
    `✅ Diskon kategori ${category}: ${discountText(discount)}.`,
  resellerPrice: (id: number, price: number) => `✅ Harga reseller produk ${id}: ${rp(price)}.`,
  noStockToExport: (id: number) => `Produk ${id} tidak punya stok yang belum terjual.`,
  stockExportCaption: (id: number, count: number) => `📄 ${count} stok belum terjual produk ${id}`,
  stockExportFileName: (id: number) => `stok-${id}.txt`,

  // users
  userInfo: (u: User, transactions: number, flags: FraudFlag[] = []) =>
    [
      `👤 <b>Info user ${u.id}</b>`,
      `Nama: ${esc(u.name)}`,
      `Username: ${username(u, 'Tidak ada')}`,
      `Email: ${orNone(u.email, 'Tidak ada')}`,
      `WhatsApp: ${orNone(u.whatsapp, 'Tidak ada')}`,
      `Saldo: ${rp(u.balance)}`,
      `Role: ${u.isAdmin ? 'admin' : u.role}`,
      `Diblokir: ${u.isBanned ? 'ya' : 'tidak'}`,
      `Transaksi: ${transactions}`,
      flags.length === 0
        ? 'Tanda fraud: tidak ada'
        : [
            `🚩 Tanda fraud (${flags.length} terbaru, tidak memblokir):`,
            ...flags.map((f) => `• ${wibDate(f.at)} ${f.invoiceId}: ${fraudText(f)}`),
          ].join('\n'),
    ].join('\n'),
  userBlockedBot: '❌ User memblokir bot.',
  messageSent: '✅ Pesan terkirim.',
  transferred: (id: number, amount: number, balance: number) =>
    `✅ Saldo user ${id} ditambah ${rp(amount)} (sekarang ${rp(balance)}).`,
  banned: (id: number) => `🚫 User ${id} diblokir.`,
  unbanned: (id: number) => `✅ User ${id} tidak diblokir lagi.`,
  nowAdmin: (id: number) => `✅ User ${id} sekarang admin.`,
  noLongerAdmin: (id: number) => `✅ User ${id} bukan admin lagi.`,
  noLongerReseller: (id: number) => `✅ User ${id} bukan reseller lagi.`,
  isAdminNotReseller: (id: number) => `❌ User ${id} adalah admin; hapus dulu dengan /rmadmin.`,
  upgradedToReseller: (name: string) => `⭐️ User ${name} telah diupgrade menjadi reseller.`,

  // system
  balanceChanged: (id: number, from: number, to: number) =>
    `✅ Saldo user ${id} diubah dari ${rp(from)} menjadi ${rp(to)}.`,
  balanceUnchanged: (id: number, balance: number) =>
    `ℹ️ Saldo user ${id} sudah ${rp(balance)}; tidak ada yang diubah.`,
  vouchersMade: (a: { amount: number; codes: string[]; expiresAt: string }) =>
    [
      `🎁 ${a.codes.length} voucher ${rp(a.amount)} dibuat (sekali pakai, berlaku sampai ${wibDate(a.expiresAt)}):`,
      ...a.codes.map((c) => `<code>${c}</code>`),
    ].join('\n'),
  groupAdded: (chatId: number) => `✅ Grup ${chatId} akan menerima notifikasi pesanan.`,
  groupAlreadyListed: (chatId: number) => `ℹ️ Grup ${chatId} sudah terdaftar.`,
  groupRemoved: (chatId: number) => `✅ Grup ${chatId} dihapus dari notifikasi.`,
  groupNotListed: (chatId: number) => `ℹ️ Grup ${chatId} tidak terdaftar.`,
  refundFormula: (formula: Record<string, number>, changedKey?: string) =>
    [
      changedKey ? `✅ ${changedKey} diubah. Formula refund sekarang:` : '📐 Formula refund:',
      ...FORMULA_KEYS.map((k) => `${k}=${formula[k]}`),
    ].join('\n'),
  version: (v: { version: string; build: string; node: string; since: string }) =>
    [
      `🤖 QuickCart v${v.version}`,
      `Build: ${v.build}`,
      `Node.js ${v.node}`,
      `Aktif sejak: ${wibDate(v.since)}`,
    ].join('\n'),
  noAuditRecords: '📜 Tidak ada catatan audit yang cocok.',
  auditTitle: (count: number, filter: { user?: string; reference?: string }) =>
    `📜 ${count} catatan audit terbaru${filter.user ? ` untuk user ${filter.user}` : filter.reference ? ` untuk ${filter.reference}` : ''}`,
  auditFileName: 'audit.txt',
  auditInline: (title: string, body: string) => `${title}:\n\n${esc(body)}`,
  /** One entry on one line: when, who, what, to what, the change, and the invoice or request. */
  auditLine: (e: AuditRecordView) => {
    const change = (v: unknown) => (v === null || v === undefined ? '-' : JSON.stringify(v));
    return [
      `#${e.id} ${wibDate(e.at)}`,
      e.actor,
      e.action,
      `${e.target.type}:${e.target.id}`,
      `${change(e.before)} → ${change(e.after)}`,
      ...(e.reference ? [`ref ${e.reference}`] : []),
    ].join(' · ');
  },

  // money commands wait for "✅ Jalankan" (docs/features.md §3.2)
  transferPreview: (u: { id: number; name: string; balance: number }, amount: number) =>
    [
      '💸 <b>Transfer saldo</b>',
      `👤 User ${u.id} (${esc(u.name)})`,
      `➕ ${rp(amount)}`,
      `💰 Saldo: ${rp(u.balance)} → ${rp(u.balance + amount)}`,
    ].join('\n'),
  editBalancePreview: (u: { id: number; name: string; balance: number }, balance: number) =>
    [
      '✏️ <b>Ubah saldo</b>',
      `👤 User ${u.id} (${esc(u.name)})`,
      `💰 Saldo: ${rp(u.balance)} → ${rp(balance)}`,
    ].join('\n'),
  giveawayPreview: (a: { amount: number; count: number }) =>
    [
      '🎁 <b>Giveaway voucher</b>',
      `${a.count} voucher ${rp(a.amount)} (sekali pakai)`,
      `Total nilai: ${rp(a.amount * a.count)}`,
    ].join('\n'),
  discountPreview: (
    p: { id: number; name: string; discount: Discount; price: number },
    discount: Discount,
    price: number,
  ) =>
    [
      `🏷️ <b>Diskon produk ${p.id}</b> (${esc(p.name)})`,
      `Diskon: ${discountText(p.discount)} → ${discountText(discount)}`,
      `Harga: ${rp(p.price)} → ${rp(price)}`,
    ].join('\n'),
  confirmAsk: (preview: string, minutes: number) =>
    `${preview}\n\nJalankan? Tombol ini berlaku ${minutes} menit.`,
  confirmButton: '✅ Jalankan',
  abortButton: '❌ Batal',
  actionAborted: '❌ Perintah dibatalkan; tidak ada yang diubah.',
  actionExpired: (minutes: number) =>
    `⌛ Konfirmasi kedaluwarsa (lebih dari ${minutes} menit); tidak ada yang diubah. Ketik perintahnya lagi.`,
  actionRunning: '⏳ Sedang dijalankan…',
  actionAlreadyDone: 'Sudah dijalankan.',

  // broadcasts
  broadcastStarted: (id: string, total: number) =>
    `📣 Broadcast dimulai.\n🆔 ${id}\n👥 Penerima: ${total} user\nAnda akan menerima laporan saat selesai.`,
  broadcastProgress: (
    id: string,
    p: {
      state: 'sending' | 'cancelled' | 'done';
      total: number;
      sent: number;
      failed: number;
      blocked: number;
      remaining: number;
    },
  ) =>
    [
      `📣 <b>Broadcast</b> ${esc(id)}`,
      `Status: ${{ sending: '⏳ sedang dikirim', cancelled: '⛔ dibatalkan', done: '✅ selesai' }[p.state]}`,
      `👥 Penerima: ${p.total}`,
      ...broadcastCounts(p),
      `⏳ Sisa: ${p.remaining}`,
    ].join('\n'),
  broadcastStopped: 'Broadcast dihentikan.',
  progressButton: '🔄 Progres',
  cancelButton: '⛔ Batalkan',

  // /stuck (docs/features.md §3.2): orders that need a person, oldest first
  stuckNone: '✅ Tidak ada pesanan yang macet.',
  stuckTitle: (p: { page: number; totalPages: number; totalItems: number }) =>
    `🧯 <b>Pesanan macet</b>: ${p.totalItems} (halaman ${p.page}/${p.totalPages}), terlama dulu`,
  stuckTemporalDown:
    '⚠️ Temporal tidak menjawab: pesanan dengan pengiriman gagal tidak bisa ditampilkan sekarang.',
  stuckLine: (n: number, reason: StuckReason, o: Order, showFilter: boolean) =>
    [
      `${n}. <code>${o.invoiceId}</code> — ${STUCK_REASON[reason]}`,
      `   user <code>${o.userId}</code> · ${o.kind === 'purchase' ? `${esc(o.productName ?? '-')} ×${o.quantity ?? 0}` : 'deposit'} · ${rp(o.total)} · ${o.paymentMethod.toUpperCase()} · ${wibDate(o.createdAt)}`,
      ...(showFilter ? [`   Temporal: <code>InvoiceId = '${o.invoiceId}'</code>`] : []),
    ].join('\n'),
  redeliverButton: (n: number) => `🔁 Kirim ulang #${n}`,
  pakasirButton: (n: number) => `🔍 Cek Pakasir #${n}`,
  webUiButton: (n: number) => `🌐 Temporal #${n}`,
  redeliverAsked: (invoiceId: string) =>
    `🔁 Sinyal redeliver dikirim untuk ${invoiceId}: pengiriman dicoba lagi.`,
  notRedeliverable: (invoiceId: string) =>
    `❌ ${invoiceId} tidak bisa dikirim ulang: bukan pembelian terbayar yang menunggu redeliver.`,
  pakasirAnswer: (a: PakasirAnswer) =>
    [
      `🔍 <b>Pakasir untuk ${a.invoiceId}</b>`,
      a.answer.state === 'paid'
        ? `Jawaban: ✅ dibayar${a.answer.completedAt ? ` (${wibDate(a.answer.completedAt)})` : ''}`
        : a.answer.state === 'unpaid'
          ? `Jawaban: ⏳ belum dibayar (status ${esc(a.answer.status)})`
          : `Jawaban: ❓ tidak bisa dibaca (${esc(a.answer.reason)})`,
      `Status pesanan: ${a.orderStatus}`,
    ].join('\n'),
  notQris: (invoiceId: string) =>
    `❌ ${invoiceId} bukan pembayaran QRIS; tidak ada yang ditanyakan ke Pakasir.`,

  // customers' messages
  forwarded: (u: { id: number; name: string; username: string | null }, body: string) =>
    `📩 <b>Pesan dari ${esc(u.name)}</b> (${username(u, 'tanpa username')}, ID <code>${u.id}</code>)\n\n${esc(body)}\n\n<i>Balas pesan ini untuk menjawab.</i>`,
  replySent: '✅ Balasan terkirim.',

  // refusals from the services, worded for an admin
  notFound: (what: 'product' | 'category' | 'stockItem') =>
    `❌ ${{ product: 'Produk', category: 'Kategori', stockItem: 'Stok' }[what]} tidak ditemukan.`,
  idTaken: '❌ ID itu sudah dipakai produk lain.',
  stockItemHeld: '❌ Stok itu sedang dipesan atau sudah terjual, tidak bisa dihapus.',
  refused: (message: string) => `❌ Ditolak: ${message}`,
  userNotFound: '❌ User tidak ditemukan.',
  bootstrapAdmin: '❌ Admin bawaan (ADMIN_IDS) tidak bisa diturunkan.',
  roleMismatch: (expected: unknown, role: unknown) =>
    `❌ User ini bukan ${expected} (perannya sekarang: ${role}). Tidak ada yang diubah.`,

  // sales reports (docs/features.md §3.5)
  badPeriod: 'tanggal tidak ada, atau tanggal akhir sebelum tanggal awal',
  salesReport: (r: SalesReport) => {
    const paid = r.purchases;
    return [
      `📊 <b>Laporan Penjualan</b> ${periodText(r.period)}`,
      '',
      `🧾 Pesanan dibuat: ${r.ordersCreated}`,
      `✅ Pesanan dibayar: ${paid.count} (${paid.items} item)`,
      `💰 Omzet: <b>${rp(paid.revenue)}</b>`,
      `🎟️ Diskon voucher: ${rp(paid.voucherDiscount)}`,
      `   ▫️ QRIS/VA: ${r.byMethod.qris.count} pesanan, ${rp(r.byMethod.qris.revenue)}`,
      `   ▫️ Saldo: ${r.byMethod.balance.count} pesanan, ${rp(r.byMethod.balance.revenue)}`,
      `🏦 Biaya Pakasir (dibayar pembeli): ${rp(r.qrisFees)}`,
      `💳 Deposit: ${r.deposits.count}, ${rp(r.deposits.amount)}`,
      `💸 Refund ke saldo: ${r.refunds.count}, ${rp(r.refunds.amount)}`,
      '',
      '<b>🔥 Produk teratas</b>',
      ...(r.topProducts.length
        ? r.topProducts.map(
            (p, i) => `${i + 1}. ${esc(p.name)} (ID ${p.productId}) — ${p.quantity} item, ${rp(p.revenue)}`,
          )
        : ['-']),
      '',
      '<b>🏆 Pembeli teratas</b>',
      ...(r.topBuyers.length
        ? r.topBuyers.map(
            (b, i) =>
              `${i + 1}. ${esc(b.name)} (<code>${b.userId}</code>) — ${b.orders} pesanan, ${rp(b.revenue)}`,
          )
        : ['-']),
    ].join('\n');
  },
  noOrdersToExport: (period: SalesReport['period']) => `📄 Tidak ada pesanan ${periodText(period)}.`,
  orderExportCaption: (period: SalesReport['period']) => `📄 Pesanan ${periodText(period)}`,
  orderExportFileName: (period: SalesReport['period']) =>
    period.firstDay === period.lastDay
      ? `pesanan-${period.firstDay}.csv`
      : `pesanan-${period.firstDay}_${period.lastDay}.csv`,

  // product pictures (docs/features.md §3.2)
  warrantySet: (id: number, days: number) =>
    days === 0
      ? `🛡️ Produk ${id} sekarang tanpa garansi: tombol Klaim Garansi tidak muncul untuk pesanannya.`
      : `🛡️ Garansi produk ${id}: ${days} hari sejak pembayaran.`,
  // Warranty claims (docs/features.md §2.9.1): the buttons under a claim and their answers
  warrantyReplaceButton: '🔁 Ganti',
  warrantyRefundButton: '💸 Refund',
  warrantyRejectButton: '❌ Tolak',
  warrantyAskReason: (claimId: string) =>
    `✏️ Ketik alasan penolakan klaim ${esc(claimId)} (dikirim ke pelanggan, maks. ${WARRANTY_REASON_MAX} karakter):`,
  warrantyReasonTooLong: `❌ Alasan terlalu panjang (maks. ${WARRANTY_REASON_MAX} karakter). Ketik lagi.`,
  warrantyDecided: (claimId: string, decision: WarrantyDecisionName) =>
    `✅ Klaim ${esc(claimId)}: ${WARRANTY_DECISION[decision]} dicatat dan sedang dijalankan.`,
  warrantyAlreadyDecided: (claimId: string, decision: WarrantyDecisionName) =>
    `ℹ️ Klaim ${esc(claimId)} sudah diputuskan: ${WARRANTY_DECISION[decision]}. Tidak ada yang diubah.`,
  imageSet: (id: number) => `🖼️ Gambar produk ${id} disimpan; detail produk sekarang tampil dengan foto.`,
  imageRemoved: (id: number) => `🗑️ Gambar produk ${id} dihapus; detail produk tampil sebagai teks.`,

  // /lang (docs/features.md §8.1)
  languageSet:
    '✅ Bahasa: Indonesia. Balasan, notifikasi dan menu perintah Anda sekarang berbahasa Indonesia.',
};

/** "01/12/2026–07/12/2026 (Asia/Jakarta)"; a single day once. */
function periodText(p: SalesReport['period']): string {
  const day = (iso: string) => iso.split('-').reverse().join('/');
  const days = p.firstDay === p.lastDay ? day(p.firstDay) : `${day(p.firstDay)}–${day(p.lastDay)}`;
  return `${days} (${p.timezone})`;
}

/** What the workflows tell admins and notification groups through /notify (docs/features.md §2.6–2.10). */
/** The owner's alerts (docs/operations.md §16), by name: what is wrong, and where to look. */
const OWNER_ALERT: Record<string, (detail: string) => string> = {
  deliveries_failed: (n) => `${n} pengiriman gagal menunggu redeliver. Lihat /stuck.`,
  payments_stuck: (n) => `${n} pembayaran macet (payment_unknown atau lewat batas waktu). Lihat /stuck.`,
  audit_outbox_backlog: (n) =>
    `${n} catatan audit tertahan di outbox: database audit tidak menerima (docs/operations.md §7).`,
  backup_failed: (d) => `Backup gagal (${esc(d)}). Jalankan npm run backup dan periksa lognya.`,
  pakasir_refusing: (d) =>
    `Pakasir terus menolak: ${esc(d)} panggilan terakhir gagal. Periksa PAKASIR_API_KEY (401/403) atau status Pakasir (5xx, timeout).`,
  telegram_refusing: (d) =>
    `Telegram terus menolak bot (${esc(d)}). 429: terlalu banyak pesan; 401/404: token bot; 409: instance lain sedang polling.`,
  worker_not_polling: (d) =>
    `Worker tidak mengambil tugas dari Temporal (poll terakhir: ${d === NEVER_POLLED ? 'belum pernah' : esc(d)}): tidak ada pembayaran yang bergerak. Periksa log worker dan /ready-nya.`,
};

export const adminNotices = {
  warrantyClaim: (d: {
    claimId: string;
    invoiceId: string;
    userId: number;
    productName: string;
    problem: string;
  }) =>
    [
      `🛡️ <b>Klaim garansi baru</b> ${esc(d.claimId)}`,
      `👤 User: <code>${d.userId}</code>`,
      `📦 Produk: ${esc(d.productName)}`,
      `🧾 Invoice: ${d.invoiceId}`,
      `📝 Masalah: ${esc(d.problem)}`,
    ].join('\n'),
  warrantyPhoto: (claimId: string) => `🛡️ Foto dari pelanggan untuk klaim ${esc(claimId)}`,
  warrantyNoStock: (d: { claimId: string; invoiceId: string; productName: string }) =>
    `⚠️ Klaim ${esc(d.claimId)}: stok ${esc(d.productName)} habis, produk tidak bisa diganti. Tambah stok lalu tekan 🔁 Ganti lagi, atau pilih 💸 Refund / ❌ Tolak.`,
  ownerAlert: (d: { alert: string; state: 'firing' | 'resolved'; detail: string }) =>
    d.state === 'firing'
      ? `🚨 <b>Peringatan</b>: ${OWNER_ALERT[d.alert]?.(d.detail) ?? esc(d.alert)}`
      : `✅ <b>Selesai</b>: ${esc(d.alert)} sudah normal kembali.`,
  fraudFlag: (d: {
    userId: number;
    invoiceId: string;
    flags: { rule: string; value: number; threshold: number }[];
  }) =>
    [
      `🚩 <b>Tanda fraud</b> untuk user <code>${d.userId}</code> (${d.invoiceId}); pesanan tetap diproses:`,
      ...d.flags.map((f) => `• ${fraudText(f)}`),
      `Cek dengan /info ${d.userId}.`,
    ].join('\n'),
  broadcastDone: (d: {
    state: string;
    broadcastId: string;
    total: number;
    sent: number;
    failed: number;
    blocked: number;
  }) =>
    [
      d.state === 'cancelled' ? '⛔ <b>Broadcast dibatalkan</b>' : '📣 <b>Broadcast selesai</b>',
      `🆔 ${esc(d.broadcastId)}`,
      ...broadcastCounts(d),
      ...(d.state === 'cancelled' ? [`⏸ Tidak dikirim: ${Math.max(0, d.total - d.sent - d.failed)}`] : []),
    ].join('\n'),
  /** The head of a digest (issue 20): the notices of the last ADMIN_DIGEST_SECONDS follow it. */
  digest: (count: number) => `🗂 <b>Ringkasan</b>: ${count} kabar terbaru`,
  orderPaid: (d: { userName: string; productName: string; quantity: number; invoiceId: string }) =>
    `🆕 Order baru masuk!\n👤 User: ${esc(d.userName)}\n📦 Produk: ${esc(d.productName)}\n🔢 Jumlah: ${d.quantity}\n🧾 Invoice: ${d.invoiceId}`,
  orderExpired: (invoiceId: string) => `⚠️ Order expired/tidak dibayar\n🧾 Invoice: ${invoiceId}`,
  depositPaid: (d: { userName: string; amount: number }) =>
    `💸 User ${esc(d.userName)} berhasil deposit ${rp(d.amount)}.`,
  depositExpired: (invoiceId: string) => `🚫 Deposit expired\n🧾 Invoice: ${invoiceId}`,
  latePayment: (d: { invoiceId: string; userId: number; refunded: number }) =>
    `💸 Pembayaran terlambat untuk ${d.invoiceId} (user ${d.userId}) dikembalikan ke saldo: ${rp(d.refunded)}.`,
  deliveryFailed: (d: { invoiceId: string; userId: number; reason: string }) =>
    `🚨 Pengiriman gagal untuk ${d.invoiceId} (user ${d.userId}, alasan: ${esc(d.reason)}). Pesanan menunggu sinyal redeliver di Temporal.`,
  qrCleanupFailed: (d: { invoiceId: string; userId: number }) =>
    `⚠️ Pesan QR untuk ${d.invoiceId} (user ${d.userId}) tidak bisa dihapus atau diubah.`,
  paymentUnknown: (d: { invoiceId: string; userId: number; reason: string }) =>
    `❓ Status pembayaran ${d.invoiceId} (user ${d.userId}) tidak bisa dipastikan dari Pakasir (${esc(d.reason)}). Pesanan ditahan sebagai payment_unknown: stok tetap dipesan, workflow terus mengecek. Jika yakin belum dibayar, kirim sinyal cancel di Temporal.`,
};
