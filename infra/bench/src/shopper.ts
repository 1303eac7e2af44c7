import { performance } from 'node:perf_hooks';
import type { ChatMessage, PakasirSandbox } from '@quickcart/sandbox';
import { quantity } from './browse';
import { goodsLines, textOf, type Customer } from './customer';

const INVOICE = /INV\d{6}[A-Z0-9]{6}/;
/** The bot's two ways of saying "sold out": the gateway's at checkout, the workflow's at reserving. */
const SOLD_OUT_AT_CHECKOUT = 'Stok produk ini sedang habis';
const SOLD_OUT_AT_RESERVE = '❌ Maaf, stok';
/** Temporal did not take the press in time (CHECKOUT_TIMEOUT): nothing was kept; press again. */
const BUSY = 'Sedang sibuk';
/** How often a customer told "busy" presses again before giving up (as a person would, a second later). */
const PRESSES_WHEN_BUSY = 5;

export type Answer =
  { kind: 'qr'; qr: ChatMessage; invoiceId: string } | { kind: 'sold_out'; by: 'checkout' | 'workflow' };

export interface Delivery {
  invoiceId: string;
  /** From the payment (the sandbox firing Pakasir's webhook) to the goods in the chat. */
  ms: number;
  at: number;
  lines: string[];
}

/** A customer buying one product by QRIS through the bot's buttons, paying in the Pakasir sandbox. */
export class Shopper {
  constructor(
    readonly customer: Customer,
    private readonly pakasir: PakasirSandbox,
    private readonly goodsPrefix: string,
    private readonly timeoutMs: number,
    /** Told of every QRIS press (a customer told "busy" presses again): chaos counts presses. */
    private readonly onPress: () => void = () => {},
  ) {}

  /** Product number → quantity 1 → "Lanjut ke pembayaran": the summary with QRIS and SALDO. */
  async toSummary(productId: number): Promise<ChatMessage> {
    const c = this.customer;
    const product = await c.send(String(productId), (after) => c.newest(after, quantity(1)), this.timeoutMs);
    const p = product.found;
    await c.press(
      p,
      'Lanjut ke pembayaran',
      () => (textOf(p).includes('Ringkasan Pesanan') ? p : undefined),
      this.timeoutMs,
    );
    return p;
  }

  /**
   * Presses QRIS: the update is queued for the bot before this returns (so a caller can press for many
   * customers "at once"); resolves with the QR or the sold-out notice, and how long it took. Told
   * "busy" (nothing kept), the customer presses again a second later, as the message asks.
   */
  async pressQris(summary: ChatMessage): Promise<{ found: Answer; ms: number; at: number; busy: number }> {
    const began = performance.now();
    for (let busy = 0; ; busy++) {
      const pressed = await this.pressOnce(summary);
      if (pressed.found.kind !== 'busy' || busy + 1 >= PRESSES_WHEN_BUSY) {
        if (pressed.found.kind === 'busy') throw new Error(`still "busy" after ${busy + 1} presses`);
        return { found: pressed.found, ms: pressed.at - began, at: pressed.at, busy };
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  private pressOnce(
    summary: ChatMessage,
  ): Promise<{ found: Answer | { kind: 'busy' }; ms: number; at: number }> {
    const c = this.customer;
    const before = c.lastId();
    this.onPress();
    const answer = (): Answer | { kind: 'busy' } | undefined => {
      const qr = c.newest(before, (m) => m.photo !== undefined && INVOICE.test(textOf(m)));
      if (qr) return { kind: 'qr', qr, invoiceId: INVOICE.exec(textOf(qr))![0] };
      const saysSoldOut = (s: string) =>
        textOf(summary).includes(s) || c.newest(before, (m) => textOf(m).includes(s)) !== undefined;
      if (saysSoldOut(SOLD_OUT_AT_CHECKOUT)) return { kind: 'sold_out', by: 'checkout' };
      if (saysSoldOut(SOLD_OUT_AT_RESERVE)) return { kind: 'sold_out', by: 'workflow' };
      if (c.newest(before, (m) => textOf(m).includes(BUSY))) return { kind: 'busy' };
      return undefined;
    };
    return c.press(summary, 'QRIS', answer, this.timeoutMs);
  }

  /** Pays the invoice as the customer would (the sandbox posts the webhook); waits for the goods. */
  async payAndReceive(qr: ChatMessage, invoiceId: string): Promise<Delivery> {
    const c = this.customer;
    const paidAt = performance.now();
    this.pakasir.pay(invoiceId);
    // The QR itself becomes the receipt with the goods (or, when it could not be edited, they follow it).
    const { found, at } = await c.watchFor(
      () => c.newest(qr.id, (m) => goodsLines(m, this.goodsPrefix).length > 0, true),
      this.timeoutMs,
      `goods for ${invoiceId}`,
    );
    return { invoiceId, ms: at - paidAt, at, lines: goodsLines(found, this.goodsPrefix) };
  }
}
