import { Conflict, formatRupiah, NotFound, route } from '@quickcart/kit';
import { Router, type Request, type Response } from 'express';
import { toDataURL } from 'qrcode';
import type { Ledger, SandboxTransaction } from './ledger';
import { SANDBOX_METHODS } from './methods';
import { esc, htmlPage } from './page-style';

export interface PayPageDeps {
  ledger: Ledger;
  completePayment: (tx: SandboxTransaction) => void;
}

/**
 * Pakasir's hosted page (`/pay/{project}/{amount}?order_id=…[&qris_only=1][&redirect=…]`, docs/features.md
 * §6), small enough to click through by hand: the QR to scan, and a button standing in for the customer's
 * bank app. Without `qris_only` it first offers the other methods (methods.ts) with their fees; a virtual
 * account chosen there shows its number and the total with that method's fee. Once paid, a link goes back
 * to `redirect` when one was given.
 */
export function payPageRoutes({ ledger, completePayment }: PayPageDeps): Router {
  const router = Router();

  router.get(
    '/pay/:project/:amount',
    route(async (req, res) => {
      const tx = lookUp(ledger, req, res);
      if (!tx) return;
      const qrisOnly = req.query.qris_only === '1';
      if (!qrisOnly && tx.status === 'pending' && req.query.method === undefined) {
        res.type('html').send(page('Pilih metode pembayaran', methodList(tx, req)));
        return;
      }
      if (tx.paymentMethod !== 'qris') {
        res.type('html').send(page(methodName(tx), checkout(tx, undefined, confirmPath(req))));
        return;
      }
      const qr = await toDataURL(tx.paymentNumber, { errorCorrectionLevel: 'M', margin: 2, width: 280 });
      res.type('html').send(page('Pembayaran QRIS', checkout(tx, qr, confirmPath(req))));
    }),
  );

  // The customer picks a method from the list: the payment takes its fee, and the page shows how to pay.
  router.post(
    '/pay/:project/:amount/method',
    route(async (req, res) => {
      const tx = lookUp(ledger, req, res);
      if (!tx) return;
      const method = typeof req.query.method === 'string' ? req.query.method : '';
      try {
        ledger.choose(tx, method);
      } catch (error) {
        if (!(error instanceof Conflict) && !(error instanceof NotFound)) throw error;
        res
          .status(error instanceof NotFound ? 404 : 409)
          .type('html')
          .send(page('Tidak dapat dipilih', `<div class="card"><p>${esc(error.message)}</p></div>`));
        return;
      }
      res.redirect(303, pagePath(req, { method }));
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
      res.type('html').send(page('Pembayaran berhasil', paid(tx, redirectOf(req))));
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

/** Where the customer goes back to after paying: the link's `redirect`, when it is an http(s) URL. */
function redirectOf(req: Request): string | undefined {
  const r = req.query.redirect;
  if (typeof r !== 'string') return undefined;
  try {
    return ['http:', 'https:'].includes(new URL(r).protocol) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** The page's own paths keep the order id and the redirect of the link that opened it. */
function pagePath(req: Request, extra: Record<string, string> = {}, action = ''): string {
  const query = new URLSearchParams({ order_id: String(req.query.order_id) });
  const redirect = redirectOf(req);
  if (redirect) query.set('redirect', redirect);
  for (const [k, v] of Object.entries(extra)) query.set(k, v);
  return `/pay/${encodeURIComponent(req.params.project ?? '')}/${req.params.amount}${action}?${query}`;
}

const confirmPath = (req: Request): string => pagePath(req, {}, '/confirm');

const methodName = (tx: SandboxTransaction): string =>
  SANDBOX_METHODS[tx.paymentMethod]?.name ?? tx.paymentMethod;

/** Every method with what it would cost, each a button that picks it. */
function methodList(tx: SandboxTransaction, req: Request): string {
  const rows = Object.entries(SANDBOX_METHODS)
    .map(([code, m]) => {
      const fee = m.fee(tx.amount);
      return `<form method="post" action="${esc(pagePath(req, { method: code }, '/method'))}">
        <button class="btn method" id="method-${code}" type="submit">${esc(m.name)} · ${formatRupiah(tx.amount + fee)}
        <span class="muted">(biaya ${formatRupiah(fee)})</span></button></form>`;
    })
    .join('');
  return `<div class="card amount"><div class="muted">Order ${esc(tx.orderId)}</div>
    <div class="total">${formatRupiah(tx.amount)}</div><div class="muted">+ biaya metode pembayaran</div></div>${rows}`;
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
.btn.method{text-align:left}a.btn{display:block;text-align:center;text-decoration:none}
`;

function checkout(tx: SandboxTransaction, qr: string | undefined, action: string): string {
  const button =
    tx.status === 'pending'
      ? `<form method="post" action="${esc(action)}"><button class="btn" id="pay" type="submit">Bayar sekarang (simulasi)</button></form>`
      : '';
  return `
    <div class="card amount"><div class="muted">Total bayar</div>
      <div class="total" id="total">${formatRupiah(tx.totalPayment)}</div>
      <span class="badge ${tx.status}" id="status">${statusLabel[tx.status]}</span></div>
    ${
      qr
        ? `<div class="card"><img id="qris" alt="QRIS" src="${qr}" class="qr">
      <p class="muted" style="text-align:center;margin:.25rem 0 0">Scan dengan aplikasi bank atau e-wallet</p></div>`
        : `<div class="card"><div class="muted">${esc(methodName(tx))}</div>
      <div class="total" id="va-number">${esc(tx.paymentNumber)}</div>
      <p class="muted" style="margin:.25rem 0 0">Transfer tepat sebesar total bayar ke nomor virtual account ini.</p></div>`
    }
    <div class="card"><dl>
      <dt>Order ID</dt><dd id="order-id">${esc(tx.orderId)}</dd>
      <dt>Metode</dt><dd id="method">${esc(methodName(tx))}</dd>
      <dt>Jumlah</dt><dd>${formatRupiah(tx.amount)}</dd>
      <dt>Biaya</dt><dd>${formatRupiah(tx.fee)}</dd>
      <dt>Berlaku sampai</dt><dd>${esc(tx.expiredAt)}</dd>
    </dl></div>
    ${button}`;
}

function paid(tx: SandboxTransaction, redirect: string | undefined): string {
  const back = redirect
    ? `<a class="btn" id="back" href="${esc(redirect)}">Kembali ke merchant</a>`
    : '<p class="muted" style="text-align:center">Kembali ke Telegram: pesanan Anda dikirim di sana.</p>';
  return `<div class="card" id="paid"><div class="done">✅</div>
    <p style="text-align:center">Order <b id="order-id">${esc(tx.orderId)}</b> sebesar
    <b id="total">${formatRupiah(tx.totalPayment)}</b> telah dibayar dengan ${esc(methodName(tx))}.</p>
    ${back}</div>`;
}

/** The same look as the Telegram sandbox's chat page (page-style.ts): one product to try by hand. */
function page(title: string, body: string): string {
  return htmlPage({
    title: `${title} · Pakasir Sandbox`,
    lang: 'id',
    css: PAY_CSS,
    body: `<div class="app"><header class="topbar"><span class="avatar" style="background:linear-gradient(#4fd1c5,#0f9d8a)">P</span>
      <div class="who"><div class="name">${esc(title)}</div><div class="status">Pakasir Sandbox</div></div></header>
      <main class="pay">${body}<p class="muted">Pakasir Sandbox: tidak ada uang sungguhan.</p></main></div>`,
  });
}
