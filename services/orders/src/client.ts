import { HttpClient, type HttpClientOptions } from '@quickcart/kit';
import { z } from 'zod';
import type { DigestedNotice } from '@quickcart/notify';
import * as c from './contract';

/** Typed client of the orders service; answers are checked against the contract. */
export class OrdersClient {
  private readonly http: HttpClient;

  constructor(options: HttpClientOptions) {
    this.http = new HttpClient(options);
  }

  upsertUser(body: z.input<typeof c.upsertUserBody>) {
    // An upsert by the customer's id: repeated, it finds the row it made.
    return this.http.request('POST', '/users', c.upsertUserResult, body, { idempotent: true });
  }
  user(id: number) {
    return this.http.request('GET', `/users/${id}`, c.user);
  }
  updateProfile(id: number, body: c.ProfileBody) {
    return this.http.request('PATCH', `/users/${id}/profile`, c.user, body);
  }
  setRole(id: number, role: c.Role, actor: string, from?: c.Role) {
    return this.http.request('POST', `/users/${id}/role`, c.user, { role, actor, from });
  }
  setBanned(id: number, banned: boolean, actor: string) {
    return this.http.request('POST', `/users/${id}/ban`, c.user, { banned, actor });
  }
  setLanguage(id: number, language: c.Language, actor: string) {
    return this.http.request('POST', `/users/${id}/language`, c.user, { language, actor });
  }
  setBlockedBot(id: number, blocked: boolean) {
    return this.http.request('POST', `/users/${id}/blocked-bot`, c.user, { blocked });
  }
  orderHistory(id: number, page = 1) {
    return this.http.request('GET', `/users/${id}/orders?page=${page}`, c.orderHistory);
  }
  ledger(id: number) {
    return this.http.request('GET', `/users/${id}/ledger`, z.object({ items: z.array(c.ledgerEntry) }));
  }
  notificationRecipients() {
    return this.http.request('GET', '/notification-recipients', c.recipients);
  }
  postLedgerEntry(body: c.LedgerEntryBody) {
    return this.http.request('POST', '/ledger/entries', c.ledgerEntry, body);
  }

  /** /transfer: the gateway's one ledger posting, made only for an admin actor. */
  transfer(id: number, body: c.TransferBody) {
    return this.http.request('POST', `/users/${id}/transfer`, c.ledgerEntry, body);
  }
  setBalance(id: number, body: c.SetBalanceBody) {
    return this.http.request('POST', `/users/${id}/balance`, c.setBalanceResult, body);
  }
  /** The press's order and, for QRIS, the QR to show as the reply (Update-with-Start). */
  /** Waits as long as orders may take to answer a press (c.PRESS_ANSWER_LIMIT_MS), not the usual 10 s. */
  checkout(body: c.CheckoutBody) {
    return this.http.request('POST', '/checkout', c.checkoutAnswer, body, c.PRESS_ANSWER_LIMIT_MS);
  }
  deposit(body: c.DepositBody) {
    return this.http.request('POST', '/deposits', c.checkoutAnswer, body, c.PRESS_ANSWER_LIMIT_MS);
  }
  /** A workflow's notice for the admins' next digest (issue 20), once by its key. */
  async digestAdminNotice(key: string, message: DigestedNotice): Promise<void> {
    await this.http.request('POST', '/admin-digest', z.object({ queued: z.literal(true) }), { key, message });
  }
  /** The caller's calls to Pakasir (the worker) or Telegram (the gateway) by result, for the owner's alerts. */
  async reportDependencyCalls(dependency: c.Dependency, results: Record<string, number>): Promise<void> {
    await this.http.request('POST', '/dependency-calls', z.object({ recorded: z.literal(true) }), {
      dependency,
      results,
    });
  }
  /** The payment run's first step (the worker): the sealed press becomes the order. */
  open(invoiceId: string, opening: string) {
    return this.http.request('POST', `/orders/${encodeURIComponent(invoiceId)}/open`, c.openedOrder, {
      opening,
    });
  }
  order(invoiceId: string) {
    return this.http.request('GET', `/orders/${encodeURIComponent(invoiceId)}`, c.order);
  }
  cancel(invoiceId: string, reason = 'customer') {
    return this.http.request('POST', `/orders/${encodeURIComponent(invoiceId)}/cancel`, c.order, { reason });
  }
  /** A pending balance purchase's debit of its stored total; null when a voucher left Rp0. */
  async debitPurchase(invoiceId: string) {
    const { entry } = await this.http.request(
      'POST',
      `/orders/${encodeURIComponent(invoiceId)}/balance-debit`,
      z.object({ entry: c.ledgerEntry.nullable() }),
      {},
    );
    return entry;
  }

  transition(invoiceId: string, body: c.TransitionBody) {
    return this.http.request('POST', `/orders/${encodeURIComponent(invoiceId)}/transition`, c.order, body);
  }
  setQrMessage(invoiceId: string, messageId: number) {
    // The same message id recorded again.
    const path = `/orders/${encodeURIComponent(invoiceId)}/qr-message`;
    return this.http.request('POST', path, c.order, { messageId }, { idempotent: true });
  }
  /** Pakasir's fee and total_payment for the order's invoice replace the quote (docs/features.md §2.5). */
  recordPakasirInvoice(invoiceId: string, body: c.PakasirInvoiceBody) {
    return this.http.request(
      'POST',
      `/orders/${encodeURIComponent(invoiceId)}/pakasir-invoice`,
      c.order,
      body,
    );
  }
  checkPayment(invoiceId: string) {
    return this.http.request(
      'POST',
      `/orders/${encodeURIComponent(invoiceId)}/check-payment`,
      c.paymentCheck,
    );
  }
  /** After Pakasir confirmed a payment for an order that closed unpaid: refunded once (docs/features.md §2.6). */
  refundLatePayment(invoiceId: string, actor = 'system') {
    return this.http.request(
      'POST',
      `/orders/${encodeURIComponent(invoiceId)}/late-payment`,
      c.latePaymentRefund,
      { actor },
    );
  }
  latePaymentCandidates(q: { sinceHours: number; after?: string; limit: number }) {
    const query = new URLSearchParams({
      sinceHours: String(q.sinceHours),
      limit: String(q.limit),
      ...(q.after ? { after: q.after } : {}),
    });
    return this.http.request('GET', `/late-payments/candidates?${query}`, c.latePaymentCandidates);
  }
  stats() {
    return this.http.request('GET', '/stats', c.shopTotals);
  }
  topBuyers(limit = 10) {
    return this.http.request('GET', `/stats/top-buyers?limit=${limit}`, c.topBuyers);
  }
  refundEstimate(invoiceId: string, userId: number) {
    return this.http.request(
      'GET',
      `/orders/${encodeURIComponent(invoiceId)}/refund-estimate?userId=${userId}`,
      c.refundEstimate,
    );
  }
  quote(q: { userId: number; productId: number; quantity: number; voucherCode?: string }) {
    const query = new URLSearchParams({
      userId: String(q.userId),
      productId: String(q.productId),
      quantity: String(q.quantity),
      ...(q.voucherCode ? { voucherCode: q.voucherCode } : {}),
    });
    return this.http.request('GET', `/checkout/quote?${query}`, c.checkoutQuote);
  }

  // ---- admin (docs/features.md §3.2, system) ----

  /** /report: the period's sales figures (docs/features.md §3.5). */
  salesReport(period: string) {
    return this.http.request('GET', `/reports/sales?${new URLSearchParams({ period })}`, c.salesReport);
  }

  /** /exportorders: the period's orders as CSV, streamed (a bad period: Invalid before any byte); audited. */
  exportOrders(period: string, actor: string) {
    return this.http.stream(
      `/reports/orders.csv?${new URLSearchParams({ period, actor })}`,
      EXPORT_TIMEOUT_MS,
    );
  }

  recordAdminMessage(id: number, body: z.input<typeof c.adminMessageBody>) {
    return this.http.request(
      'POST',
      `/users/${id}/admin-messages`,
      z.object({ recorded: z.boolean() }),
      body,
    );
  }

  giveaway(body: z.input<typeof c.giveawayBody>) {
    return this.http.request('POST', '/vouchers', c.giveawayResult, body);
  }

  checkVoucher(code: string, userId: number) {
    const query = new URLSearchParams({ code, userId: String(userId) });
    return this.http.request('GET', `/vouchers/check?${query}`, c.voucherCheck);
  }

  admins() {
    return this.http.request('GET', '/admins', c.recipients);
  }

  refundFormula() {
    return this.http.request('GET', '/settings/refund-formula', c.refundFormula);
  }

  // ---- warranty claims (docs/features.md §2.9.1) ----

  productWarranty(productId: number) {
    return this.http.request('GET', `/products/${productId}/warranty`, c.productWarranty);
  }

  setProductWarranty(productId: number, body: z.input<typeof c.productWarrantyBody>) {
    return this.http.request('PUT', `/products/${productId}/warranty`, c.productWarranty, body);
  }

  openWarrantyClaim(body: c.OpenClaimBody) {
    return this.http.request('POST', '/warranty-claims', c.openedClaim, body);
  }

  warrantyClaim(claimId: string) {
    return this.http.request('GET', `/warranty-claims/${encodeURIComponent(claimId)}`, c.warrantyClaim);
  }

  decideWarrantyClaim(claimId: string, body: c.WarrantyDecisionBody) {
    return this.http.request(
      'POST',
      `/warranty-claims/${encodeURIComponent(claimId)}/decision`,
      c.warrantyDecisionAnswer,
      body,
    );
  }

  /** The claim's workflow records its outcome (a refund credits the balance here, once). */
  resolveWarrantyClaim(claimId: string, body: c.WarrantyResolveBody) {
    return this.http.request(
      'POST',
      `/warranty-claims/${encodeURIComponent(claimId)}/resolve`,
      c.warrantyClaim,
      body,
    );
  }

  setRefundFormula(body: z.input<typeof c.setFormulaBody>) {
    return this.http.request('PUT', '/settings/refund-formula', c.refundFormula, body);
  }

  notificationGroups() {
    return this.http.request('GET', '/notification-groups', c.recipients);
  }

  setNotificationGroup(chatId: number, listed: boolean, actor: string) {
    return listed
      ? this.http.request('PUT', `/notification-groups/${chatId}`, changed, { actor })
      : this.http.request('POST', `/notification-groups/${chatId}/remove`, changed, { actor });
  }

  /** Telegram moved a whitelisted group to a supergroup: notices follow it to its new id (audited). */
  moveNotificationGroup(from: number, to: number, actor = 'system') {
    return this.http.request('POST', `/notification-groups/${from}/move`, changed, { to, actor });
  }

  startBroadcast(body: c.StartBroadcastBody) {
    return this.http.request(
      'POST',
      '/broadcasts',
      z.object({ id: z.string(), total: z.number().int() }),
      body,
    );
  }

  broadcastProgress(id: string) {
    return this.http.request('GET', `/broadcasts/${encodeURIComponent(id)}`, c.broadcastProgress);
  }

  cancelBroadcast(id: string, actor: string) {
    return this.http.request('POST', `/broadcasts/${encodeURIComponent(id)}/cancel`, c.broadcastProgress, {
      actor,
    });
  }

  finishBroadcast(id: string, body: c.BroadcastFinish) {
    return this.http.request('POST', `/broadcasts/${encodeURIComponent(id)}/finish`, z.object({}), body);
  }

  broadcastRecipients(a: { afterUserId: number; limit: number }) {
    return this.http.request(
      'GET',
      `/broadcast-recipients?afterUserId=${a.afterUserId}&limit=${a.limit}`,
      c.broadcastRecipients,
    );
  }

  /** A user's latest anti-fraud flags, newest first (/info; docs/features.md §4). */
  fraudFlags(userId: number) {
    return this.http.request('GET', `/users/${userId}/fraud-flags`, c.fraudFlags);
  }
  /** /stuck: orders that need a person, oldest first (docs/features.md §3.2). */
  stuckOrders(page = 1) {
    return this.http.request('GET', `/stuck-orders?page=${page}`, c.stuckOrders);
  }
  /** "🔁 Kirim ulang": the `redeliver` signal to a paid purchase's workflow; audited with the admin. */
  redeliver(invoiceId: string, actor: string) {
    return this.http.request(
      'POST',
      `/orders/${encodeURIComponent(invoiceId)}/redeliver`,
      c.redeliverResult,
      {
        actor,
      },
    );
  }
  /** "🔍 Cek Pakasir": Pakasir's answer on the payment; audited with the admin. */
  askPakasir(invoiceId: string, actor: string) {
    return this.http.request(
      'POST',
      `/orders/${encodeURIComponent(invoiceId)}/pakasir-check`,
      c.pakasirAnswer,
      { actor },
    );
  }

  audit(q: { user?: string; reference?: string; limit?: number }) {
    const query = new URLSearchParams(
      Object.entries(q).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])),
    );
    return this.http.request('GET', `/audit?${query}`, z.object({ items: z.array(c.auditRecord) }));
  }
}

const changed = z.object({ changed: z.boolean() });
/** A year of orders is a few megabytes: minutes at worst, never the 10 s of a JSON call. */
const EXPORT_TIMEOUT_MS = 10 * 60_000;
