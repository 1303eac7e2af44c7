/**
 * Every text a customer reads, in Bahasa Indonesia (docs/features.md §8.1), reached by key: the bot's
 * sentences, its buttons, the command menu and the workflows' notices; the longer screens laid out from
 * data are in customer-screens.ts. Numbers that are rules (deposit limits, the voucher cooldown, field
 * lengths) come from the contract, never typed into a sentence. Layout code (keyboards.ts,
 * notify/render.ts, the flows) only places these, taken for the reader's language from languages.ts;
 * customer.en.ts and customer-screens.en.ts are the English twins, key for key.
 */
import {
  DEPOSIT_MAX,
  DEPOSIT_MIN,
  NAME_MAX_LENGTH,
  VOUCHER_COOLDOWN_MINUTES,
  WARRANTY_PROBLEM_MAX,
  WHATSAPP_DIGITS,
} from '@quickcart/orders/contract';
import { esc, rp, wib } from '../format';

const SKIP_HINT = '(Tekan "Lewati" atau ketik /skip untuk melewati)';
const WHATSAPP_RULE = `${WHATSAPP_DIGITS.min}–${WHATSAPP_DIGITS.max} digit, boleh diawali + atau 0`;
const DEPOSIT_RANGE = { min: rp(DEPOSIT_MIN), max: rp(DEPOSIT_MAX) };

/** A payment method as the reader sees it: its name (`paymentMethodName`) and fee (null: not known). */
export type PaidWith = { name: string; fee: number | null };

/** How Pakasir said a payment was made (docs/features.md §6.1): the receipt's and the deposit notice's line. */
const paidWith = (p: PaidWith) =>
  `💳 Dibayar dengan ${esc(p.name)}${p.fee === null ? '' : ` (biaya ${rp(p.fee)})`}`;

export const text = {
  banned: '🚫 Akun Anda diblokir. Hubungi admin jika ini sebuah kesalahan.',
  tooFast: '⚠️ Kamu terlalu cepat. Tunggu sebentar ya, lalu coba lagi.',
  unknown: 'Maaf, saya tidak mengerti pesan itu. Gunakan tombol menu di bawah atau ketik /help.',
  staleButton: 'Tombol ini sudah tidak berlaku. Silakan buka menu lagi.',
  askName: `👋 Selamat datang! Siapa nama Anda?\n${SKIP_HINT}`,
  askWhatsapp: `📱 Nomor WhatsApp Anda? (${WHATSAPP_RULE})\n${SKIP_HINT}`,
  askEmail: `📧 Alamat email Anda?\n${SKIP_HINT}`,
  badName: `❌ Nama tidak boleh kosong dan maksimal ${NAME_MAX_LENGTH} karakter. Silakan kirim lagi.`,
  badWhatsapp: `❌ Nomor WhatsApp harus ${WHATSAPP_RULE}. Contoh: 081234567890. Silakan kirim lagi.`,
  badEmail: '❌ Itu bukan alamat email yang valid. Contoh: nama@email.com. Silakan kirim lagi.',
  emailTaken: '❌ Email ini sudah dipakai akun lain. Silakan kirim email lain.',
  editName: '✏️ Kirim nama baru Anda:',
  editEmail: '✏️ Kirim email baru Anda:',
  editWhatsapp: '✏️ Kirim nomor WhatsApp baru Anda:',
  saved: '✅ Data berhasil disimpan.',
  categoriesTitle: '<b>📂 Kategori</b>',
  allProductsTitle: 'Semua Produk',
  noCategories: 'Belum ada kategori produk.',
  searchTitle: (word: string) => `🔎 Hasil pencarian "${word}"`,
  searchNothing: (word: string) =>
    `🔎 Tidak ada produk yang cocok dengan "${esc(word)}". Coba kata lain, atau pilih kategori:`,
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
  qrisInvoiceCreated: (invoiceId: string) =>
    `🧾 Invoice <code>${invoiceId}</code> dibuat. QR pembayaran dikirim sebentar lagi...`,
  paying: '⏳ Memproses pembayaran dengan saldo...',
  saldoPaymentStarted: (invoiceId: string) =>
    `⏳ Pembayaran saldo untuk <code>${invoiceId}</code> diproses...`,
  cancelled: 'Dibatalkan. Silakan pilih menu lain.',
  checkingPayment: '⏳ Mengecek…',
  unpaid: 'Pembayaran belum diterima (belum dibayar).',
  paidProcessing: '✅ Pembayaran diterima! Pesanan sedang diproses.',
  invoiceClosed: 'Invoice ini sudah tidak aktif.',
  invoiceCancelling: 'Invoice dibatalkan.',
  depositMenu: '💰 Pilih jumlah deposit:',
  depositAskAmount: `💰 Ketik jumlah deposit (minimal ${DEPOSIT_RANGE.min}, maksimal ${DEPOSIT_RANGE.max}). Contoh: 50000`,
  depositBadAmount: `❌ Jumlah deposit harus angka antara ${DEPOSIT_RANGE.min} dan ${DEPOSIT_RANGE.max}. Contoh: 50000`,
  depositInvoiceCreated: (invoiceId: string) =>
    `🧾 Invoice deposit <code>${invoiceId}</code> dibuat. QR pembayaran dikirim sebentar lagi...`,
  contactAsk: '✉️ Silakan kirim pesan untuk admin (teks, atau satu foto dengan keterangan).',
  contactSent: '✅ Pesan Anda sudah diteruskan ke admin. Balasan akan dikirim di sini.',
  adminReply: (body: string) => `💬 <b>Balasan admin:</b>\n${esc(body)}`,
  fromAdmin: (body: string) => `📩 <b>Pesan dari admin:</b>\n${esc(body)}`,
  nowReseller:
    '🎊 Selamat! Status Anda telah menjadi reseller.\nNikmati harga spesial dan fitur tambahan! 🏅',
  tryAgain: '⚠️ Terjadi gangguan. Silakan coba lagi sebentar lagi.',
  /** Temporal did not answer a press within CHECKOUT_TIMEOUT: nothing was kept (issue 18). */
  busy: '⚠️ Sedang sibuk, coba lagi sebentar.',
  voucherAsk: '🎟️ Ketik kode voucher Anda:',
  voucherInvalid: 'Kode voucher tidak valid atau sudah digunakan.',
  voucherExpired: 'Voucher sudah expired atau tidak berlaku.',
  voucherCooldown: `Anda baru saja menggunakan voucher. Tunggu ${VOUCHER_COOLDOWN_MINUTES} menit untuk menggunakan voucher lagi.`,
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
    'Cari produk: ketik nama atau kategorinya, misalnya netflix.',
  ].join('\n'),
  // "10 menit" is orders' PAYMENT_TIMEOUT default, a setting rather than a contract constant.
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
  // Warranty claims (docs/features.md §2.9.1)
  warrantyAsk: (invoiceId: string) =>
    `🛡️ <b>Klaim Garansi ${esc(invoiceId)}</b>\nJelaskan masalahnya: ketik pesan, atau kirim foto dengan keterangan (maks. ${WARRANTY_PROBLEM_MAX} karakter).`,
  warrantyTooLong: `❌ Keterangan terlalu panjang (maks. ${WARRANTY_PROBLEM_MAX} karakter). Kirim lagi lebih singkat.`,
  warrantyNeedsText: '❌ Tulis masalahnya: sebagai pesan, atau sebagai keterangan foto.',
  warrantySent: (claimId: string) =>
    `✅ Klaim garansi <code>${esc(claimId)}</code> dikirim ke admin. Anda akan diberi tahu hasilnya di chat ini.`,
  warrantyAlreadyOpen: (claimId: string) =>
    `⏳ Klaim garansi <code>${esc(claimId)}</code> untuk pesanan ini masih diproses admin.`,
  warrantyExpired: (invoiceId: string) =>
    `❌ Masa garansi pesanan ${esc(invoiceId)} sudah habis; klaim tidak bisa dibuat.`,
  warrantyNotClaimable: (invoiceId: string) =>
    `❌ Pesanan ${esc(invoiceId)} tidak bisa diklaim: hanya pesanan Anda yang sudah dibayar.`,
  languageAsk: '🌐 Pilih bahasa:',
  languageSaved: '✅ Bahasa: Indonesia.',
};

/** Button labels; the reply keyboard's fixed ones are also what arrives when they are pressed. */
export const buttons = {
  listProducts: 'LIST PRODUK',
  stock: 'STOK',
  account: 'AKUN',
  contact: 'KIRIM PESAN',
  categories: 'Kategori',
  bestSellers: 'Terlaris',
  allProducts: 'Semua Produk',
  topBuyers: 'Top Buyers',
  previous: '⬅️ Sebelumnya',
  next: (page: number, totalPages: number) => `➡️ Selanjutnya ${page}/${totalPages}`,
  back: 'Kembali',
  backUpper: 'KEMBALI',
  warrantyClaim: (invoiceId: string) => `🛡️ Klaim Garansi ${invoiceId}`,
  product: (p: { id: number; name: string }) => `${p.id}. ${p.name}`,
  category: (c: { name: string; productCount: number }) => `${c.name} (${c.productCount})`,
  toPayment: 'Lanjut ke pembayaran',
  cancel: 'Batalkan',
  cancelUpper: 'BATALKAN',
  useVoucher: 'Gunakan Voucher',
  qris: 'QRIS',
  saldo: 'SALDO',
  confirm: 'Konfirmasi',
  checkoutPage: 'Checkout Page',
  /** Pakasir's page without qris_only: virtual accounts and its other methods (docs/features.md §6.1). */
  otherMethods: '🏦 Metode lain',
  paymentStatus: 'Status Pembayaran',
  editName: 'Ubah Nama',
  editEmail: 'Ubah Email',
  editWhatsapp: 'Ubah Whatsapp',
  history: 'Riwayat Transaksi',
  deposit: 'Deposit',
  depositAmount: (amount: number) => rp(amount).replace('Rp', 'Rp '),
  depositOther: 'Jumlah Lain',
  skip: 'Lewati',
  /** The same in both languages: whoever cannot read the one shown still finds it. */
  language: '🌐 Bahasa / Language',
  languageId: '🇮🇩 Bahasa Indonesia',
  languageEn: '🇬🇧 English',
};

/** Telegram's command menu as every user sees it (docs/features.md §3.1). */
export const commandMenu = {
  start: 'Menu utama',
  stock: 'Stok produk',
  order: 'Cara memesan',
  refund: 'Perkiraan refund: /refund INV...',
  help: 'Bantuan',
};

/** What the workflows tell a customer through /notify (docs/features.md §2.6–2.10). */
export const notices = {
  qrisCaption: (d: {
    kind: 'purchase' | 'deposit';
    invoiceId: string;
    totalPayment: number;
    fee?: number;
    expiresAt: string;
    productName?: string;
    quantity?: number;
    otherMethodsUrl?: string;
    hostedPageOnly?: boolean;
  }) =>
    [
      d.kind === 'deposit' ? '💰 <b>Deposit saldo</b>' : `📦 ${esc(d.productName ?? '')} x${d.quantity ?? 1}`,
      `🧾 Invoice: <code>${d.invoiceId}</code>`,
      `💳 Total bayar: <b>${rp(d.totalPayment)}</b>`,
      ...(d.fee === undefined ? [] : [`   (termasuk biaya QRIS ${rp(d.fee)})`]),
      `⏰ Berlaku sampai: ${wib(d.expiresAt)}`,
      '',
      // The QRIS string was lost with an earlier create's answer: there is no QR here (a QR of a URL is
      // no QRIS); Pakasir's checkout page shows the invoice's own QRIS.
      d.hostedPageOnly
        ? `QR pembayaran tidak dapat ditampilkan di sini. Tekan tombol ${buttons.checkoutPage} untuk membuka halaman pembayaran Pakasir, bayar dengan QRIS di sana, lalu tunggu konfirmasi otomatis.`
        : 'Scan QR ini dengan aplikasi e-wallet atau m-banking yang mendukung QRIS, lalu tunggu konfirmasi otomatis.',
      ...(d.otherMethodsUrl
        ? [
            `${buttons.otherMethods}: virtual account bank dan metode lain di halaman Pakasir, dengan biaya metode itu.`,
          ]
        : []),
    ].join('\n'),
  /** The QR message once paid: the receipt, with the goods when they fit (docs/delivery.md). */
  receipt: (
    d: {
      productName: string;
      quantity: number;
      invoiceId: string;
      paidVia?: PaidWith;
    },
    goods?: string,
  ) =>
    [
      '🎉 Pesanan berhasil! ✅ <b>Lunas</b>',
      `📦 Produk: ${esc(d.productName)}`,
      `🔢 Jumlah: ${d.quantity}`,
      `🧾 Invoice: ${d.invoiceId}`,
      ...(d.paidVia ? [paidWith(d.paidVia)] : []),
      goods === undefined ? '📄 Detail produk ada di file ini.' : `\n<code>${esc(goods)}</code>`,
    ].join('\n'),
  delivered: (d: { productName: string; quantity: number; invoiceId: string; paidVia?: PaidWith }) =>
    [
      '🎉 Pesanan berhasil!',
      `📦 Produk: ${esc(d.productName)}`,
      `🔢 Jumlah: ${d.quantity}`,
      `🧾 Invoice: ${d.invoiceId}`,
      ...(d.paidVia ? [paidWith(d.paidVia)] : []),
      'Terima kasih telah berbelanja! Silakan cek detail produk di bawah ini. 😊',
    ].join('\n'),
  /** Left behind only when Telegram's answer to it was lost and a retry sent another (docs/delivery.md). */
  goodsPlaceholder: (invoiceId: string) =>
    `⏳ Menyiapkan pesanan ${esc(invoiceId)}…\nJika pesan ini tidak berubah, abaikan pesan ini: detail produk ada di pesan berikutnya.`,
  goodsFileCaption: (invoiceId: string) => `📄 Detail produk ${invoiceId}`,
  invoiceExpired:
    'Invoice expired. Pembayaran tidak diterima lagi untuk invoice ini. Jika Anda sudah membayar, dana akan dikembalikan (dipotong biaya). Silakan buat pesanan/deposit baru jika masih diperlukan.',
  purchaseCancelled:
    '⏰ Pesanan dibatalkan atau expired. Jika pembayaran sudah dilakukan, dana akan dikembalikan (dipotong biaya). Silakan coba lagi atau hubungi admin jika ada kendala. 🙏',
  purchaseOutOfStock: (productName: string) =>
    `❌ Maaf, stok ${esc(productName)} tidak cukup. Pesanan dibatalkan, tidak ada dana yang dipotong.`,
  purchaseInsufficientBalance: text.insufficientBalance,
  depositCredited: (amount: number, paidVia?: PaidWith) =>
    [
      '💰 Deposit berhasil!',
      `Saldo Anda telah bertambah sebesar ${rp(amount)} (setelah fee).`,
      ...(paidVia ? [paidWith(paidVia)] : []),
      'Silakan cek saldo di menu [Akun]. 🎯',
    ].join('\n'),
  depositExpired: '⌛️ Invoice deposit expired.\nSilakan lakukan deposit ulang jika masih diperlukan. 🔄',
  warrantyReplaced: (d: { productName: string; invoiceId: string; claimId: string }) =>
    [
      '🔁 <b>Klaim garansi disetujui: produk diganti</b>',
      `📦 Produk: ${esc(d.productName)}`,
      `🧾 Invoice: ${d.invoiceId}`,
      `🛡️ Klaim: ${d.claimId}`,
      'Detail produk pengganti ada di bawah ini.',
    ].join('\n'),
  warrantyRefunded: (d: { invoiceId: string; claimId: string; amount: number }) =>
    `💸 Klaim garansi ${d.claimId} disetujui: ${rp(d.amount)} dikembalikan ke saldo Anda (pesanan ${d.invoiceId}).`,
  warrantyRejected: (d: { invoiceId: string; claimId: string; reason: string }) =>
    `❌ Klaim garansi ${d.claimId} (pesanan ${d.invoiceId}) ditolak.\nAlasan: ${esc(d.reason)}`,
  latePaymentRefunded: (d: { invoiceId: string; refunded: number }) =>
    `💸 Pembayaran untuk invoice ${d.invoiceId} diterima setelah invoice ditutup. Dana ${rp(d.refunded)} (dipotong biaya) sudah dikembalikan ke saldo Anda.`,
};
