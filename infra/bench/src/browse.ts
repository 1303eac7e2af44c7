import type { ChatMessage } from '@quickcart/sandbox';
import { hasButton, textOf, type Customer, type Reply } from './customer';
import type { BrowseProduct, Shop } from './shop';

const REPLY_TIMEOUT_MS = 60_000;

/**
 * A customer window-shopping, one update per step, each step answered before the next: /start (menu),
 * Kategori, a category, a product, +, +, -, then /start again. Every step is a real update the bot
 * handles: an edit of the menu message for a button, new messages for /start.
 */
export class Browser {
  private step = 0;
  private menu?: ChatMessage;
  private product: BrowseProduct;

  constructor(
    readonly customer: Customer,
    private readonly shop: Shop,
    seed: number,
  ) {
    this.product = shop.browse[seed % shop.browse.length]!;
  }

  /** Performs the next step; resolves with the time the bot took to answer it. */
  async next(): Promise<number> {
    const reply = await this.perform(this.step);
    this.step = (this.step + 1) % 7;
    return reply.ms;
  }

  private perform(step: number): Promise<Reply<unknown>> {
    const c = this.customer;
    const shows = (m: ChatMessage, s: string) => textOf(m).includes(s);
    if (step === 0 || !this.menu) {
      this.step = 0;
      return c
        .send(
          '/start',
          (after) => c.newest(after, (m) => shows(m, 'Halo') && hasButton(m, (t) => t === 'Kategori')),
          REPLY_TIMEOUT_MS,
        )
        .then((r) => {
          this.menu = r.found;
          this.product =
            this.shop.browse[(this.shop.browse.indexOf(this.product) + 1) % this.shop.browse.length]!;
          return r;
        });
    }
    const menu = this.menu;
    const p = this.product;
    const inPlace = (done: (m: ChatMessage) => boolean) => () => (done(menu) ? menu : undefined);
    switch (step) {
      case 1:
        return c.press(
          menu,
          'Kategori',
          inPlace((m) => hasButton(m, (t) => t.startsWith(`${p.category} (`))),
          REPLY_TIMEOUT_MS,
        );
      case 2:
        return c.press(
          menu,
          (t) => t.startsWith(`${p.category} (`),
          inPlace((m) => hasButton(m, (t) => t === `${p.id}. ${p.name}`)),
          REPLY_TIMEOUT_MS,
        );
      case 3:
        return c.press(menu, `${p.id}. ${p.name}`, inPlace(quantity(1)), REPLY_TIMEOUT_MS);
      case 4:
        return c.press(menu, '+', inPlace(quantity(2)), REPLY_TIMEOUT_MS);
      case 5:
        return c.press(menu, '+', inPlace(quantity(3)), REPLY_TIMEOUT_MS);
      default:
        return c.press(menu, '-', inPlace(quantity(2)), REPLY_TIMEOUT_MS);
    }
  }
}

/** The product message showing this quantity (gateway copy/customer-screens.ts productDetail: "🔢 Jumlah: <b>n</b>"). */
export const quantity = (n: number) => (m: ChatMessage) => textOf(m).includes(`Jumlah: ${n}\n`);
