import type { Kv } from './kv';

/** What the bot waits for as typed text; everything else lives in the buttons' own data. */
export type Awaiting =
  | 'onboard_name'
  | 'onboard_whatsapp'
  | 'onboard_email'
  | 'edit_name'
  | 'edit_email'
  | 'edit_whatsapp'
  | 'deposit_amount'
  | 'contact_message'
  | 'voucher_code'
  | 'warranty_problem'
  | 'warranty_reject_reason';

export interface Session {
  awaiting?: Awaiting;
  /** The summary a typed voucher code is for (while awaiting 'voucher_code'). */
  voucherFor?: { productId: number; qty: number };
  /** A voucher the customer applied: it goes with their next checkout of that product (§3.3). */
  voucher?: { code: string; amount: number; productId: number };
  /** The order a typed (or photographed) problem is a warranty claim on (awaiting 'warranty_problem'). */
  warrantyFor?: string;
  /** The claim an admin's typed reason rejects (awaiting 'warranty_reject_reason'). */
  rejectClaim?: string;
}

const TTL_SECONDS = 24 * 3600; // docs/features.md §4: session TTL 24 hours

/**
 * One session key per user, updated atomically (compare-and-set on the whole value), so two updates
 * of one user in different processes cannot lose each other's change (docs/features.md §2.12). The
 * key is read with the update's rate count, in one round trip (middleware.ts); the update then works
 * on a `SessionOfUpdate`.
 */
export class Sessions {
  constructor(private readonly kv: Kv) {}

  /** Where a person's session is kept: the rate limiter reads it with its count. */
  keyOf(userId: number): string {
    return `session:${userId}`;
  }

  /** The session of one update of `userId`, from `stored`: the key's value read at the update's start. */
  ofUpdate(userId: number, stored: string | null): SessionOfUpdate {
    return new SessionOfUpdate(this.kv, this.keyOf(userId), stored);
  }
}

/**
 * A person's session for the length of one of their updates: read once, at the update's start, and
 * kept here (`ctx.session`), so handlers read it without asking Redis. The inbox hands one person's
 * updates over one at a time (a private chat is its person; inbox/inbox.ts), so no other update of
 * theirs writes the session while this one runs: the value read at the start stays true, and each
 * write made here replaces it. Writes stay compare-and-set on the value last seen: should another
 * process have written meanwhile after all (a gateway that lost its inbox lease mid-update), the write
 * fails, the session is read again and the change applied on top, never lost.
 */
export class SessionOfUpdate {
  constructor(
    private readonly kv: Kv,
    private readonly key: string,
    private stored: string | null,
  ) {}

  /** The session as this update last saw or wrote it; a copy, so changing it changes nothing. */
  get(): Session {
    return parse(this.stored);
  }

  async update(change: (s: Session) => Session): Promise<Session> {
    let expected = this.stored;
    for (let attempt = 0; attempt < 20; attempt++) {
      const next = change(parse(expected));
      const value = JSON.stringify(next);
      if (await this.kv.compareAndSet(this.key, expected, value, TTL_SECONDS)) {
        this.stored = value; // what this update's later reads see
        return next;
      }
      expected = await this.kv.get(this.key);
    }
    throw new Error(`${this.key} kept changing under us`);
  }

  /** Starts a new flow: whatever the previous one waited for is forgotten (flexible navigation). */
  expect(awaiting: Awaiting | undefined): Promise<Session> {
    return this.update((s) => ({ ...s, awaiting }));
  }
}

const parse = (stored: string | null): Session => (stored ? (JSON.parse(stored) as Session) : {});
