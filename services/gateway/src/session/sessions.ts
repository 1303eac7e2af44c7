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
 * of one user in different processes cannot lose each other's change (docs/features.md §2.12).
 */
export class Sessions {
  constructor(private readonly kv: Kv) {}

  async get(userId: number): Promise<Session> {
    const raw = await this.kv.get(key(userId));
    return raw ? (JSON.parse(raw) as Session) : {};
  }

  async update(userId: number, change: (s: Session) => Session): Promise<Session> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const raw = await this.kv.get(key(userId));
      const next = change(raw ? (JSON.parse(raw) as Session) : {});
      if (await this.kv.compareAndSet(key(userId), raw, JSON.stringify(next), TTL_SECONDS)) return next;
    }
    throw new Error(`session of ${userId} kept changing under us`);
  }

  /** Starts a new flow: whatever the previous one waited for is forgotten (flexible navigation). */
  expect(userId: number, awaiting: Awaiting | undefined): Promise<Session> {
    return this.update(userId, (s) => ({ ...s, awaiting }));
  }
}

const key = (userId: number) => `session:${userId}`;
