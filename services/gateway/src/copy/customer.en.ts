/**
 * Every text a customer reads, in English: the same keys as customer.ts (Bahasa Indonesia), picked per
 * user by copy/languages.ts (docs/features.md §8.1). languages.test.ts fails when a key is missing here
 * or a sentence uses other data than its Indonesian twin.
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
import type * as id from './customer';

const SKIP_HINT = '(Press "Skip" or type /skip to skip)';
const WHATSAPP_RULE = `${WHATSAPP_DIGITS.min}–${WHATSAPP_DIGITS.max} digits, may start with + or 0`;
const DEPOSIT_RANGE = { min: rp(DEPOSIT_MIN), max: rp(DEPOSIT_MAX) };

/** How Pakasir said a payment was made (docs/features.md §6.1): the receipt's and the deposit notice's line. */
const paidWith = (p: id.PaidWith) =>
  `💳 Paid with ${esc(p.name)}${p.fee === null ? '' : ` (fee ${rp(p.fee)})`}`;

export const text: typeof id.text = {
  banned: '🚫 Your account is blocked. Contact the admin if this is a mistake.',
  tooFast: '⚠️ You are going too fast. Please wait a moment, then try again.',
  unknown: 'Sorry, I did not understand that message. Use the menu buttons below or type /help.',
  staleButton: 'This button is no longer valid. Please open the menu again.',
  askName: `👋 Welcome! What is your name?\n${SKIP_HINT}`,
  askWhatsapp: `📱 Your WhatsApp number? (${WHATSAPP_RULE})\n${SKIP_HINT}`,
  askEmail: `📧 Your email address?\n${SKIP_HINT}`,
  badName: `❌ The name cannot be empty and has at most ${NAME_MAX_LENGTH} characters. Please send it again.`,
  badWhatsapp: `❌ The WhatsApp number must be ${WHATSAPP_RULE}. Example: 081234567890. Please send it again.`,
  badEmail: '❌ That is not a valid email address. Example: name@email.com. Please send it again.',
  emailTaken: '❌ This email is used by another account. Please send another email.',
  editName: '✏️ Send your new name:',
  editEmail: '✏️ Send your new email:',
  editWhatsapp: '✏️ Send your new WhatsApp number:',
  saved: '✅ Saved.',
  categoriesTitle: '<b>📂 Categories</b>',
  allProductsTitle: 'All Products',
  noCategories: 'There are no product categories yet.',
  searchTitle: (word: string) => `🔎 Search results for "${word}"`,
  searchNothing: (word: string) =>
    `🔎 No product matches "${esc(word)}". Try another word, or pick a category:`,
  noProducts: 'There are no products yet.',
  noBestSellers: 'There are no best sellers yet.',
  noTopBuyers: 'There are no buyers yet.',
  productGone: '❌ Product not found or no longer sold. Here are the products available:',
  outOfStock: '❌ This product is out of stock. Here are the products available:',
  notEnoughStock: (available: number) =>
    `❌ Not enough stock. ${available} available. Please lower the quantity.`,
  qtyMin: 'The minimum quantity is 1',
  qtyMax: (stock: number) => `The maximum quantity is ${stock} (stock available)`,
  insufficientBalance: '❌ Your balance is not enough. Please make a deposit or pay with QRIS.',
  qrisBelowMinimum: (minimum: number) =>
    `❌ The minimum QRIS payment is ${rp(minimum)}. This total can be paid with BALANCE (no fee).`,
  creatingInvoice: '⏳ Creating the QRIS invoice...',
  qrisInvoiceCreated: (invoiceId: string) =>
    `🧾 Invoice <code>${invoiceId}</code> created. The payment QR follows in a moment...`,
  paying: '⏳ Paying with your balance...',
  saldoPaymentStarted: (invoiceId: string) =>
    `⏳ Balance payment for <code>${invoiceId}</code> in progress...`,
  cancelled: 'Cancelled. Please pick another menu.',
  checkingPayment: '⏳ Checking…',
  unpaid: 'The payment has not been received yet (unpaid).',
  paidProcessing: '✅ Payment received! Your order is being processed.',
  invoiceClosed: 'This invoice is no longer active.',
  invoiceCancelling: 'Invoice cancelled.',
  depositMenu: '💰 Choose the deposit amount:',
  depositAskAmount: `💰 Type the deposit amount (at least ${DEPOSIT_RANGE.min}, at most ${DEPOSIT_RANGE.max}). Example: 50000`,
  depositBadAmount: `❌ The deposit amount must be a number between ${DEPOSIT_RANGE.min} and ${DEPOSIT_RANGE.max}. Example: 50000`,
  depositInvoiceCreated: (invoiceId: string) =>
    `🧾 Deposit invoice <code>${invoiceId}</code> created. The payment QR follows in a moment...`,
  contactAsk: '✉️ Please send your message for the admin (text, or one photo with a caption).',
  contactSent: '✅ Your message was passed on to the admin. The reply will come here.',
  adminReply: (body: string) => `💬 <b>Admin's reply:</b>\n${esc(body)}`,
  fromAdmin: (body: string) => `📩 <b>Message from the admin:</b>\n${esc(body)}`,
  nowReseller: '🎊 Congratulations! You are now a reseller.\nEnjoy special prices and extra features! 🏅',
  tryAgain: '⚠️ Something went wrong. Please try again in a moment.',
  /** Temporal did not answer a press within CHECKOUT_TIMEOUT: nothing was kept (issue 18). */
  busy: '⚠️ Busy right now, please try again in a moment.',
  voucherAsk: '🎟️ Type your voucher code:',
  voucherInvalid: 'The voucher code is not valid or has already been used.',
  voucherExpired: 'The voucher has expired or is no longer valid.',
  voucherCooldown: `You have just used a voucher. Wait ${VOUCHER_COOLDOWN_MINUTES} minutes to use another voucher.`,
  voucherApplied: (amount: number) =>
    `Voucher applied! A discount of ${rp(amount)} was taken off the order total.`,
  voucherCoversAll: 'The voucher covers the whole order total: choose BALANCE (nothing to pay).',
  menuKeyboard: '⌨️ Menu ready. Use the buttons below.',
  help: [
    '<b>QuickCart help</b>',
    '/start - main menu',
    '/stock - product stock',
    '/order - how to order',
    '/refund INV... - refund estimate for your order',
    '/help - this help',
    '',
    'How to buy: send a product number (or press its button), set the quantity, press "Continue to payment", then choose QRIS or BALANCE.',
    'Find a product: type its name or category, for example netflix.',
  ].join('\n'),
  // "10 minutes" is orders' PAYMENT_TIMEOUT default, a setting rather than a contract constant.
  order: [
    '<b>How to order</b>',
    '1. Open PRODUCTS or send a product number.',
    '2. Set the quantity with the - / + / +2 / +5 / +10 buttons.',
    '3. Press "Continue to payment" and check the summary.',
    '4. Choose QRIS (scan the QR, valid for 10 minutes) or BALANCE.',
    '5. The product is sent automatically in this chat once the payment is received.',
  ].join('\n'),
  refundUsage: 'Wrong format. Correct usage, for example:\n/refund INV261125AB12CD',
  refundNotFound: '❌ Invoice not found among your paid orders.',
  // Warranty claims (docs/features.md §2.9.1)
  warrantyAsk: (invoiceId: string) =>
    `🛡️ <b>Warranty Claim ${esc(invoiceId)}</b>\nDescribe the problem: type a message, or send a photo with a caption (at most ${WARRANTY_PROBLEM_MAX} characters).`,
  warrantyTooLong: `❌ The description is too long (at most ${WARRANTY_PROBLEM_MAX} characters). Send it again, shorter.`,
  warrantyNeedsText: '❌ Write the problem: as a message, or as the caption of a photo.',
  warrantySent: (claimId: string) =>
    `✅ Warranty claim <code>${esc(claimId)}</code> sent to the admin. You will be told the outcome in this chat.`,
  warrantyAlreadyOpen: (claimId: string) =>
    `⏳ Warranty claim <code>${esc(claimId)}</code> for this order is still with the admin.`,
  warrantyExpired: (invoiceId: string) =>
    `❌ The warranty of order ${esc(invoiceId)} has ended; no claim can be made.`,
  warrantyNotClaimable: (invoiceId: string) =>
    `❌ Order ${esc(invoiceId)} cannot be claimed: only your own paid orders can.`,
  languageAsk: '🌐 Choose your language:',
  languageSaved: '✅ Language: English.',
};

/** Button labels; the reply keyboard's fixed ones are also what arrives when they are pressed. */
export const buttons: typeof id.buttons = {
  listProducts: 'PRODUCTS',
  stock: 'STOCK',
  account: 'ACCOUNT',
  contact: 'SEND MESSAGE',
  categories: 'Categories',
  bestSellers: 'Best sellers',
  allProducts: 'All Products',
  topBuyers: 'Top Buyers',
  previous: '⬅️ Previous',
  next: (page: number, totalPages: number) => `➡️ Next ${page}/${totalPages}`,
  back: 'Back',
  backUpper: 'BACK',
  warrantyClaim: (invoiceId: string) => `🛡️ Warranty Claim ${invoiceId}`,
  product: (p: { id: number; name: string }) => `${p.id}. ${p.name}`,
  category: (c: { name: string; productCount: number }) => `${c.name} (${c.productCount})`,
  toPayment: 'Continue to payment',
  cancel: 'Cancel',
  cancelUpper: 'CANCEL',
  useVoucher: 'Use a voucher',
  qris: 'QRIS',
  saldo: 'BALANCE',
  confirm: 'Confirm',
  checkoutPage: 'Checkout Page',
  /** Pakasir's page without qris_only: virtual accounts and its other methods (docs/features.md §6.1). */
  otherMethods: '🏦 Other methods',
  paymentStatus: 'Payment status',
  editName: 'Edit name',
  editEmail: 'Edit email',
  editWhatsapp: 'Edit WhatsApp',
  history: 'Transaction history',
  deposit: 'Deposit',
  depositAmount: (amount: number) => rp(amount).replace('Rp', 'Rp '),
  depositOther: 'Other amount',
  skip: 'Skip',
  language: '🌐 Bahasa / Language',
  languageId: '🇮🇩 Bahasa Indonesia',
  languageEn: '🇬🇧 English',
};

/** Telegram's command menu as every user sees it (docs/features.md §3.1). */
export const commandMenu: typeof id.commandMenu = {
  start: 'Main menu',
  stock: 'Product stock',
  order: 'How to order',
  refund: 'Refund estimate: /refund INV...',
  help: 'Help',
};

/** What the workflows tell a customer through /notify (docs/features.md §2.6–2.10). */
export const notices: typeof id.notices = {
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
      d.kind === 'deposit'
        ? '💰 <b>Balance deposit</b>'
        : `📦 ${esc(d.productName ?? '')} x${d.quantity ?? 1}`,
      `🧾 Invoice: <code>${d.invoiceId}</code>`,
      `💳 Total to pay: <b>${rp(d.totalPayment)}</b>`,
      ...(d.fee === undefined ? [] : [`   (including the QRIS fee of ${rp(d.fee)})`]),
      `⏰ Valid until: ${wib(d.expiresAt)}`,
      '',
      // As in customer.ts: no QRIS string, no QR; Pakasir's checkout page shows the invoice's own QRIS.
      d.hostedPageOnly
        ? `The payment QR cannot be shown here. Press the ${buttons.checkoutPage} button to open Pakasir's payment page, pay with QRIS there, then wait for the automatic confirmation.`
        : 'Scan this QR with any e-wallet or mobile banking app that supports QRIS, then wait for the automatic confirmation.',
      ...(d.otherMethodsUrl
        ? [
            `${buttons.otherMethods}: bank virtual accounts and other methods on Pakasir's page, with that method's fee.`,
          ]
        : []),
    ].join('\n'),
  /** The QR message once paid: the receipt, with the goods when they fit (docs/delivery.md). */
  receipt: (
    d: {
      productName: string;
      quantity: number;
      invoiceId: string;
      paidVia?: id.PaidWith;
    },
    goods?: string,
  ) =>
    [
      '🎉 Order complete! ✅ <b>Paid</b>',
      `📦 Product: ${esc(d.productName)}`,
      `🔢 Quantity: ${d.quantity}`,
      `🧾 Invoice: ${d.invoiceId}`,
      ...(d.paidVia ? [paidWith(d.paidVia)] : []),
      goods === undefined ? '📄 The product details are in this file.' : `\n<code>${esc(goods)}</code>`,
    ].join('\n'),
  delivered: (d: { productName: string; quantity: number; invoiceId: string; paidVia?: id.PaidWith }) =>
    [
      '🎉 Order complete!',
      `📦 Product: ${esc(d.productName)}`,
      `🔢 Quantity: ${d.quantity}`,
      `🧾 Invoice: ${d.invoiceId}`,
      ...(d.paidVia ? [paidWith(d.paidVia)] : []),
      'Thank you for shopping! Please find the product details below. 😊',
    ].join('\n'),
  /** Left behind only when Telegram's answer to it was lost and a retry sent another (docs/delivery.md). */
  goodsPlaceholder: (invoiceId: string) =>
    `⏳ Preparing order ${esc(invoiceId)}…\nIf this message does not change, ignore it: the product details are in the next message.`,
  goodsFileCaption: (invoiceId: string) => `📄 Product details ${invoiceId}`,
  invoiceExpired:
    'Invoice expired. Payments are no longer accepted for this invoice. If you have already paid, the money will be returned (minus fees). Please make a new order/deposit if you still need it.',
  purchaseCancelled:
    '⏰ Order cancelled or expired. If you have already paid, the money will be returned (minus fees). Please try again or contact the admin if there is a problem. 🙏',
  purchaseOutOfStock: (productName: string) =>
    `❌ Sorry, there is not enough stock of ${esc(productName)}. The order was cancelled; nothing was charged.`,
  purchaseInsufficientBalance: text.insufficientBalance,
  depositCredited: (amount: number, paidVia?: id.PaidWith) =>
    [
      '💰 Deposit complete!',
      `Your balance went up by ${rp(amount)} (after fees).`,
      ...(paidVia ? [paidWith(paidVia)] : []),
      'Check your balance in the [Account] menu. 🎯',
    ].join('\n'),
  depositExpired: '⌛️ Deposit invoice expired.\nPlease make the deposit again if you still need it. 🔄',
  warrantyReplaced: (d: { productName: string; invoiceId: string; claimId: string }) =>
    [
      '🔁 <b>Warranty claim approved: product replaced</b>',
      `📦 Product: ${esc(d.productName)}`,
      `🧾 Invoice: ${d.invoiceId}`,
      `🛡️ Claim: ${d.claimId}`,
      'The replacement product is below.',
    ].join('\n'),
  warrantyRefunded: (d: { invoiceId: string; claimId: string; amount: number }) =>
    `💸 Warranty claim ${d.claimId} approved: ${rp(d.amount)} returned to your balance (order ${d.invoiceId}).`,
  warrantyRejected: (d: { invoiceId: string; claimId: string; reason: string }) =>
    `❌ Warranty claim ${d.claimId} (order ${d.invoiceId}) was rejected.\nReason: ${esc(d.reason)}`,
  latePaymentRefunded: (d: { invoiceId: string; refunded: number }) =>
    `💸 The payment for invoice ${d.invoiceId} arrived after the invoice was closed. ${rp(d.refunded)} (minus fees) has been returned to your balance.`,
};
