import { createHmac, timingSafeEqual } from 'node:crypto';
import { Conflict } from '@quickcart/kit';
import { ORDERS_REFUSAL } from '../contract';

/** A customer's press as checkout checked it, for the payment run to hand back to orders' open. */
export interface OpeningRequest {
  kind: 'purchase' | 'deposit';
  invoiceId: string;
  userId: number;
  paymentMethod: 'qris' | 'balance';
  /** Purchases. */
  productId?: number;
  quantity?: number;
  voucherCode?: string;
  /** Deposits: what the balance grows by. */
  amount?: number;
  requestKey?: string;
  /** A balance purchase's confirmation message, to become its receipt. */
  pressMessageId?: number;
  /** When checkout sealed it (ms): an order is opened only while checkout still waits for the answer. */
  sealedAt: number;
}

/**
 * Seals checkout's request into the payment run's start input, so that only orders can open an order
 * (docs/security.md): anyone who reaches Temporal can start a `purchase` run with any input, but
 * without orders' key its seal does not verify and orders refuses to open it. HMAC-SHA256 under a key
 * derived from orders' own token, which no other process holds.
 */
export class OpeningSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('quickcart checkout opening v1').digest();
  }

  seal(request: OpeningRequest): string {
    const body = Buffer.from(JSON.stringify(request)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The sealed request for `invoiceId`; a forged, altered or misplaced one is refused. */
  open(sealed: string, invoiceId: string): OpeningRequest {
    const [body, mac] = sealed.split('.');
    const expected = body === undefined ? '' : this.mac(body);
    const valid =
      body !== undefined &&
      mac !== undefined &&
      mac.length === expected.length &&
      timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
    if (!valid) throw refused(invoiceId, 'its seal is not orders’');
    const request = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as OpeningRequest;
    if (request.invoiceId !== invoiceId) throw refused(invoiceId, `it was sealed for ${request.invoiceId}`);
    return request;
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

const refused = (invoiceId: string, why: string) =>
  new Conflict(`opening ${invoiceId} refused: ${why}`, ORDERS_REFUSAL.openingRefused);
