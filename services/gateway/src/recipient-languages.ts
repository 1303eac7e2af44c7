import { NotFound, type Logger } from '@quickcart/kit';
import type { OrdersClient } from '@quickcart/orders/client';
import type { Language, User } from '@quickcart/orders/contract';
import { SHOP_LANGUAGE } from './copy/languages';

/** Long enough to spare orders a read per notice, short enough that a choice made on another replica shows soon. */
export const LANGUAGE_TTL_MS = 30_000;
const MAX_REMEMBERED = 10_000;

/**
 * The language each chat reads (docs/features.md §8.1), for texts not answering that person's own
 * update: the workflows' notices through /notify, an admin's /pm, a reply relayed to a customer. Orders
 * owns the answer (the user's choice, else their Telegram language); it is kept here briefly. Every
 * update of the person refreshes it, so their own choice shows at once on this replica.
 */
export class RecipientLanguages {
  private readonly known = new Map<number, { language: Language; until: number }>();

  constructor(
    private readonly orders: Pick<OrdersClient, 'user'>,
    private readonly logger: Logger,
    private readonly ttlMs = LANGUAGE_TTL_MS,
  ) {}

  /**
   * A group (negative id) or a chat orders has no user for reads the shop's language. When orders does
   * not answer, the notice still goes, in the shop's language: a late notice is worse than its wording.
   */
  async of(chatId: number): Promise<Language> {
    if (chatId < 0) return SHOP_LANGUAGE;
    const hit = this.known.get(chatId);
    if (hit && hit.until > Date.now()) return hit.language;
    try {
      const user = await this.orders.user(chatId);
      this.remember(user);
      return user.language;
    } catch (error) {
      if (!(error instanceof NotFound))
        this.logger.warn('recipient language unknown; the shop language is used', {
          chatId,
          message: (error as Error).message,
        });
      return SHOP_LANGUAGE;
    }
  }

  /** What an update or a choice just said about the user; no read needed. */
  remember(user: Pick<User, 'id' | 'language'>): void {
    this.known.delete(user.id);
    if (this.known.size >= MAX_REMEMBERED) this.known.delete(this.known.keys().next().value!);
    this.known.set(user.id, { language: user.language, until: Date.now() + this.ttlMs });
  }

  /** The language last seen for a user, without asking orders (undefined: not known here now). */
  peek(userId: number): Language | undefined {
    const hit = this.known.get(userId);
    return hit && hit.until > Date.now() ? hit.language : undefined;
  }
}
