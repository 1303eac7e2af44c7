import type { NotifyMessage } from '@quickcart/notify';
import { backKeyboard, qrisKeyboard, type InlineExtra } from '../keyboards';
import { esc, rp, wib } from '../format';

/**
 * One Telegram message to send for a template (a delivery is two: the success note and the goods).
 * `placeholder`: the message goes out as this short text first and is then edited into the real one, so
 * a retry after an unknown outcome edits again instead of showing it twice (docs/delivery.md).
 */
export type Outgoing =
  | { kind: 'text'; html: string; extra?: InlineExtra; placeholder?: string }
  /** A photo drawn here (bytes) or one Telegram already has (its file id). */
  | { kind: 'photo'; photo: Buffer | string; caption: string; extra?: InlineExtra }
  | { kind: 'document'; content: Buffer; filename: string; caption: string; placeholder?: string };

/** Long deliveries go as a .txt file (§2.8), well under Telegram's 4096-character message limit. */
const MAX_INLINE_CONTENT = 3500;

/** The workflows' templates as the customer and admins read them (FEATURES.md §2.6–2.10). */
export function render(m: NotifyMessage): Outgoing[] {
  switch (m.template) {
    case 'payment.qris': {
      const d = m.data;
      const what =
        d.kind === 'deposit'
          ? '💰 <b>Deposit saldo</b>'
          : `📦 ${esc(d.productName ?? '')} x${d.quantity ?? 1}`;
      const caption = [
        what,
        `🧾 Invoice: <code>${d.invoiceId}</code>`,
        `💳 Total bayar: <b>${rp(d.totalPayment)}</b>`,
        ...(d.fee === undefined ? [] : [`   (termasuk biaya QRIS ${rp(d.fee)})`]),
        `⏰ Berlaku sampai: ${wib(d.expiresAt)}`,
        '',
        'Scan QR ini dengan aplikasi e-wallet atau m-banking yang mendukung QRIS, lalu tunggu konfirmasi otomatis.',
      ].join('\n');
      return [
        {
          kind: 'photo',
          photo: Buffer.from(m.qrPngBase64, 'base64'),
          caption,
          extra: qrisKeyboard(d.invoiceId, d.checkoutUrl),
        },
      ];
    }
    case 'broadcast': {
      // The admin's own words, sent as they typed them (escaped, so `<` never breaks the message).
      const d = m.data;
      return [
        d.photoFileId
          ? { kind: 'photo', photo: d.photoFileId, caption: esc(d.text) }
          : { kind: 'text', html: esc(d.text) },
      ];
    }
    case 'admin.broadcast_done': {
      const d = m.data;
      return [
        {
          kind: 'text',
          html: [
            d.state === 'cancelled' ? '⛔ <b>Broadcast dibatalkan</b>' : '📣 <b>Broadcast selesai</b>',
            `🆔 ${esc(d.broadcastId)}`,
            `✅ Terkirim: ${d.sent}`,
            `❌ Gagal: ${d.failed} (memblokir bot: ${d.blocked})`,
            ...(d.state === 'cancelled'
              ? [`⏸ Tidak dikirim: ${Math.max(0, d.total - d.sent - d.failed)}`]
              : []),
          ].join('\n'),
        },
      ];
    }
    case 'purchase.delivered': {
      const d = m.data;
      const success = [
        '🎉 Pesanan berhasil!',
        `📦 Produk: ${esc(d.productName)}`,
        `🔢 Jumlah: ${d.quantity}`,
        `🧾 Invoice: ${d.invoiceId}`,
        'Terima kasih telah berbelanja! Silakan cek detail produk di bawah ini. 😊',
      ].join('\n');
      const goods = d.items.join('\n');
      // Left behind only when Telegram's answer to it was lost and a retry sent another.
      const placeholder = `⏳ Menyiapkan pesanan ${esc(d.invoiceId)}…\nJika pesan ini tidak berubah, abaikan pesan ini: detail produk ada di pesan berikutnya.`;
      const content: Outgoing =
        goods.length > MAX_INLINE_CONTENT
          ? {
              kind: 'document',
              content: Buffer.from(goods + '\n'),
              filename: `${d.invoiceId}.txt`,
              caption: `📄 Detail produk ${d.invoiceId}`,
              placeholder,
            }
          : { kind: 'text', html: `<code>${esc(goods)}</code>`, placeholder };
      return [{ kind: 'text', html: success }, content];
    }
    case 'invoice.expired':
      return [
        {
          kind: 'text',
          html: 'Invoice expired. Pembayaran tidak diterima lagi untuk invoice ini. Jika Anda sudah membayar, dana akan dikembalikan (dipotong biaya). Silakan buat pesanan/deposit baru jika masih diperlukan.',
          extra: backKeyboard(),
        },
      ];
    case 'purchase.cancelled':
      return [
        {
          kind: 'text',
          html: '⏰ Pesanan dibatalkan atau expired. Jika pembayaran sudah dilakukan, dana akan dikembalikan (dipotong biaya). Silakan coba lagi atau hubungi admin jika ada kendala. 🙏',
          extra: backKeyboard(),
        },
      ];
    case 'purchase.out_of_stock':
      return [
        {
          kind: 'text',
          html: `❌ Maaf, stok ${esc(m.data.productName)} tidak cukup. Pesanan dibatalkan, tidak ada dana yang dipotong.`,
          extra: backKeyboard(),
        },
      ];
    case 'purchase.insufficient_balance':
      return [
        {
          kind: 'text',
          html: '❌ Saldo tidak mencukupi. Silakan deposit atau gunakan QRIS.',
          extra: backKeyboard(),
        },
      ];
    case 'deposit.credited':
      return [
        {
          kind: 'text',
          html: `💰 Deposit berhasil!\nSaldo Anda telah bertambah sebesar ${rp(m.data.amount)} (setelah fee).\nSilakan cek saldo di menu [Akun]. 🎯`,
        },
      ];
    case 'deposit.expired':
      return [
        {
          kind: 'text',
          html: '⌛️ Invoice deposit expired.\nSilakan lakukan deposit ulang jika masih diperlukan. 🔄',
          extra: backKeyboard(),
        },
      ];
    case 'late_payment.refunded':
      return [
        {
          kind: 'text',
          html: `💸 Pembayaran untuk invoice ${m.data.invoiceId} diterima setelah invoice ditutup. Dana ${rp(m.data.refunded)} (dipotong biaya) sudah dikembalikan ke saldo Anda.`,
        },
      ];
    case 'admin.order_paid':
      return [
        {
          kind: 'text',
          html: `🆕 Order baru masuk!\n👤 User: ${esc(m.data.userName)}\n📦 Produk: ${esc(m.data.productName)}\n🔢 Jumlah: ${m.data.quantity}\n🧾 Invoice: ${m.data.invoiceId}`,
        },
      ];
    case 'admin.order_expired':
      return [{ kind: 'text', html: `⚠️ Order expired/tidak dibayar\n🧾 Invoice: ${m.data.invoiceId}` }];
    case 'admin.deposit_paid':
      return [
        { kind: 'text', html: `💸 User ${esc(m.data.userName)} berhasil deposit ${rp(m.data.amount)}.` },
      ];
    case 'admin.deposit_expired':
      return [{ kind: 'text', html: `🚫 Deposit expired\n🧾 Invoice: ${m.data.invoiceId}` }];
    case 'admin.late_payment':
      return [
        {
          kind: 'text',
          html: `💸 Pembayaran terlambat untuk ${m.data.invoiceId} (user ${m.data.userId}) dikembalikan ke saldo: ${rp(m.data.refunded)}.`,
        },
      ];
    case 'admin.delivery_failed':
      return [
        {
          kind: 'text',
          html: `🚨 Pengiriman gagal untuk ${m.data.invoiceId} (user ${m.data.userId}, alasan: ${esc(m.data.reason)}). Pesanan menunggu sinyal redeliver di Temporal.`,
        },
      ];
    case 'admin.qr_cleanup_failed':
      return [
        {
          kind: 'text',
          html: `⚠️ Pesan QR untuk ${m.data.invoiceId} (user ${m.data.userId}) tidak bisa dihapus atau diubah.`,
        },
      ];
    case 'admin.payment_unknown':
      return [
        {
          kind: 'text',
          html: `❓ Status pembayaran ${m.data.invoiceId} (user ${m.data.userId}) tidak bisa dipastikan dari Pakasir (${esc(m.data.reason)}). Pesanan ditahan sebagai payment_unknown: stok tetap dipesan, workflow terus mengecek. Jika yakin belum dibayar, kirim sinyal cancel di Temporal.`,
        },
      ];
  }
}
