import { Conflict, formatRupiah, NotFound, route } from '@quickcart/kit';
import { Router, type Request, type Response } from 'express';
import { toDataURL } from 'qrcode';
import type { Ledger, SandboxTransaction } from './ledger';
import { esc, htmlPage } from './page-style';

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
          .send(page('Tidak dapat dibayar', `<div class="card"><p>${esc(error.message)}</p></div>`));
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
      .send(page('Transaksi tidak ditemukan', `<div class="card"><p>Order ${esc(orderId)}</p></div>`));
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

const PAY_CSS = `
.pay{flex:1;overflow:auto;padding:1rem;display:flex;flex-direction:column;gap:.75rem;align-items:center}
.pay .card{width:100%;max-width:26rem}
.amount{text-align:center}.amount .total{font-size:1.9rem;font-weight:700;margin:.2rem 0}
.qr{display:block;margin:.25rem auto;width:15rem;height:15rem;image-rendering:pixelated}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:0}
dt{color:#707579}dd{margin:0;text-align:right;font-weight:500;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:1rem;padding:.1rem .6rem;font-size:.85rem;font-weight:600}
.badge.pending{background:#fff3cd;color:#8a6100}.badge.completed{background:#dcf5d3;color:#2f7d1f}
.badge.canceled,.badge.expired{background:#fde2e1;color:#b3261e}
.pay form{width:100%;max-width:26rem}.pay form .btn{width:100%}
.done{font-size:3.5rem;text-align:center;line-height:1}
`;

function checkout(tx: SandboxTransaction, qr: string, action: string): string {
  const button =
    tx.status === 'pending'
      ? `<form method="post" action="${esc(action)}"><button class="btn" id="pay" type="submit">Bayar sekarang (simulasi)</button></form>`
      : '';
  return `
    <div class="card amount"><div class="muted">Total bayar</div>
      <div class="total" id="total">${formatRupiah(tx.totalPayment)}</div>
      <span class="badge ${tx.status}" id="status">${statusLabel[tx.status]}</span></div>
    <div class="card"><img id="qris" alt="QRIS" src="${qr}" class="qr">
      <p class="muted" style="text-align:center;margin:.25rem 0 0">Scan dengan aplikasi bank atau e-wallet</p></div>
    <div class="card"><dl>
      <dt>Order ID</dt><dd id="order-id">${esc(tx.orderId)}</dd>
      <dt>Jumlah</dt><dd>${formatRupiah(tx.amount)}</dd>
      <dt>Biaya</dt><dd>${formatRupiah(tx.fee)}</dd>
      <dt>Berlaku sampai</dt><dd>${esc(tx.expiredAt)}</dd>
    </dl></div>
    ${button}`;
}

function paid(tx: SandboxTransaction): string {
  return `<div class="card" id="paid"><div class="done">✅</div>
    <p style="text-align:center">Order <b id="order-id">${esc(tx.orderId)}</b> sebesar
    <b id="total">${formatRupiah(tx.totalPayment)}</b> telah dibayar.</p>
    <p class="muted" style="text-align:center">Kembali ke Telegram: pesanan Anda dikirim di sana.</p></div>`;
}

/** The same look as the Telegram sandbox's chat page (page-style.ts): one product to try by hand. */
function page(title: string, body: string): string {
  return htmlPage({
    title: `${title} · Pakasir Sandbox`,
    lang: 'id',
    css: PAY_CSS,
    body: `<div class="app"><header class="topbar"><span class="avatar" style="background:linear-gradient(#4fd1c5,#0f9d8a)">P</span>
      <div class="who"><div class="name">${esc(title)}</div><div class="status">Pakasir Sandbox · QRIS</div></div></header>
      <main class="pay">${body}<p class="muted">Pakasir Sandbox: tidak ada uang sungguhan.</p></main></div>`,
  });
}
