import { Conflict, formatRupiah, NotFound, route } from '@quickcart/kit';
import { Router, type Request, type Response } from 'express';
import { toDataURL } from 'qrcode';
import type { Ledger, SandboxTransaction } from './ledger';

export interface PayPageDeps {
  ledger: Ledger;
  completePayment: (tx: SandboxTransaction) => void;
}

/**
 * Pakasir's hosted page (`/pay/{project}/{amount}?order_id=…&qris_only=1`, docs/features.md §6), small
 * enough to click through by hand: the QR to scan, and a button standing in for the customer's bank app.
 */
export function payPageRoutes({ ledger, completePayment }: PayPageDeps): Router {
  const router = Router();

  router.get(
    '/pay/:project/:amount',
    route(async (req, res) => {
      const tx = lookUp(ledger, req, res);
      if (!tx) return;
      const qr = await toDataURL(tx.paymentNumber, { errorCorrectionLevel: 'M', margin: 2, width: 280 });
      res.type('html').send(page('Pembayaran QRIS', checkout(tx, qr, confirmPath(req))));
    }),
  );

  router.post(
    '/pay/:project/:amount/confirm',
    route(async (req, res) => {
      const tx = lookUp(ledger, req, res);
      if (!tx) return;
      try {
        completePayment(tx);
      } catch (error) {
        if (!(error instanceof Conflict)) throw error;
        res
          .status(409)
          .type('html')
          .send(page('Tidak dapat dibayar', `<p>${esc(error.message)}</p>`));
        return;
      }
      res.type('html').send(page('Pembayaran berhasil', paid(tx)));
    }),
  );

  return router;
}

/** The payment the URL names, or a 404 page already sent. */
function lookUp(ledger: Ledger, req: Request, res: Response): SandboxTransaction | undefined {
  const orderId = typeof req.query.order_id === 'string' ? req.query.order_id : '';
  const amount = Number(req.params.amount);
  try {
    if (orderId === '' || !Number.isSafeInteger(amount)) throw new NotFound('bad payment link');
    return ledger.get(req.params.project ?? '', orderId, amount);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    res
      .status(404)
      .type('html')
      .send(page('Transaksi tidak ditemukan', `<p>Order ${esc(orderId)}</p>`));
    return undefined;
  }
}

function confirmPath(req: Request): string {
  const query = new URLSearchParams({ order_id: String(req.query.order_id) });
  return `/pay/${encodeURIComponent(req.params.project ?? '')}/${req.params.amount}/confirm?${query}`;
}

const statusLabel: Record<SandboxTransaction['status'], string> = {
  pending: 'Menunggu pembayaran',
  completed: 'Lunas',
  canceled: 'Dibatalkan',
  expired: 'Kedaluwarsa',
};

function checkout(tx: SandboxTransaction, qr: string, action: string): string {
  const button =
    tx.status === 'pending'
      ? `<form method="post" action="${esc(action)}"><button type="submit">Bayar sekarang (simulasi)</button></form>`
      : '';
  return `
    <dl>
      <dt>Order ID</dt><dd id="order-id">${esc(tx.orderId)}</dd>
      <dt>Jumlah</dt><dd>${formatRupiah(tx.amount)}</dd>
      <dt>Biaya</dt><dd>${formatRupiah(tx.fee)}</dd>
      <dt>Total bayar</dt><dd id="total">${formatRupiah(tx.totalPayment)}</dd>
      <dt>Status</dt><dd id="status">${statusLabel[tx.status]}</dd>
      <dt>Berlaku sampai</dt><dd>${esc(tx.expiredAt)}</dd>
    </dl>
    <img id="qris" alt="QRIS" src="${qr}">
    ${button}`;
}

function paid(tx: SandboxTransaction): string {
  return `<p>Order <span id="order-id">${esc(tx.orderId)}</span> sebesar
    <span id="total">${formatRupiah(tx.totalPayment)}</span> telah dibayar.</p>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)} · Pakasir Sandbox</title></head>
<body style="font-family: sans-serif; max-width: 28rem; margin: 2rem auto">
<h1>${esc(title)}</h1>${body}
<p><small>Pakasir Sandbox: tidak ada uang sungguhan.</small></p></body></html>`;
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );
}
