import { OrdersClient } from '@quickcart/orders/client';
import type { User } from '@quickcart/orders/contract';

const MAX_KEPT = 10_000;

/**
 * The customer record every update needs (role, language, ban), kept for a few seconds (issue 18: an
 * update used to cost orders an upsert each). A record is reused only while the person's Telegram
 * username and language are what they were when it was stored, so orders still hears of a change at
 * once. A change made through this gateway forgets the record at once (`OrdersForTheBot`); one made
 * elsewhere (another replica's admin command, the worker marking a blocked bot) shows within `ttlMs`.
 * `ttlMs` 0 keeps nothing.
 */
export class UserRecords {
  private readonly kept = new Map<number, { user: User; seen: string; until: number }>();

  constructor(readonly ttlMs: number) {}

  get(id: number, seen: string): User | undefined {
    const hit = this.kept.get(id);
    if (!hit) return undefined;
    if (hit.until > Date.now() && hit.seen === seen) return hit.user;
    this.kept.delete(id);
    return undefined;
  }

  keep(user: User, seen: string): void {
    if (this.ttlMs <= 0) return;
    this.kept.delete(user.id); // re-inserted last: the Map's order is the order to drop in
    this.kept.set(user.id, { user, seen, until: Date.now() + this.ttlMs });
    if (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
  }

  forget(id: number): void {
    this.kept.delete(id);
  }
}

/** What of a person's Telegram profile orders stores: a kept record is stale once it changes. */
export const telegramSeen = (from: { username?: string; language_code?: string }): string =>
  `${from.username ?? ''}\n${from.language_code ?? ''}`;

/**
 * Orders as the bot calls it: every call that changes a user's record forgets that record here, so no
 * flow can forget to (one place for the rule).
 */
export class OrdersForTheBot extends OrdersClient {
  constructor(
    options: ConstructorParameters<typeof OrdersClient>[0],
    private readonly records: UserRecords,
  ) {
    super(options);
  }

  private async changing<T>(id: number, call: Promise<T>): Promise<T> {
    try {
      return await call;
    } finally {
      this.records.forget(id);
    }
  }

  override updateProfile(...a: Parameters<OrdersClient['updateProfile']>) {
    return this.changing(a[0], super.updateProfile(...a));
  }
  override setRole(...a: Parameters<OrdersClient['setRole']>) {
    return this.changing(a[0], super.setRole(...a));
  }
  override setBanned(...a: Parameters<OrdersClient['setBanned']>) {
    return this.changing(a[0], super.setBanned(...a));
  }
  override setLanguage(...a: Parameters<OrdersClient['setLanguage']>) {
    return this.changing(a[0], super.setLanguage(...a));
  }
  override setBlockedBot(...a: Parameters<OrdersClient['setBlockedBot']>) {
    return this.changing(a[0], super.setBlockedBot(...a));
  }
}
