import type { Kv } from '../session/kv';

/** How long a preview can be confirmed (docs/features.md §3.2): an older one must be typed again. */
export const CONFIRM_WINDOW_MS = 10 * 60_000;
/** Kept well past the window, so a late press is told "kedaluwarsa" and a repeated ✅ sees the result. */
const KEEP_SECONDS = 24 * 3600;
/**
 * A press that started the action and then vanished (its gateway died) leaves it "running"; after this
 * long another press may run it again. Safe: every action is keyed by its preview (ledger, vouchers) or
 * sets a value (a discount), so running it twice still changes things once.
 */
const TAKEOVER_MS = 60_000;

/** What the preview's message becomes once the action ran (HTML). */
export interface ActionResult {
  text: string;
}

/** An admin money command waiting for "✅ Jalankan", stored server-side (callback data holds its id only). */
export interface PendingAction {
  command: string;
  args: unknown;
  adminId: number;
  createdAt: number;
  state: 'pending' | 'running' | 'done' | 'cancelled';
  runningSince?: number;
  result?: ActionResult;
}

export type Claim =
  | { outcome: 'run'; action: PendingAction }
  | { outcome: 'done'; result: ActionResult }
  | { outcome: 'running' | 'cancelled' | 'expired' | 'unknown' };

/**
 * The previews of admin money commands, one record per preview in the gateway's store (Redis when set),
 * moved from state to state by compare-and-set: of two presses of the same ✅ (a double tap, two
 * gateways) exactly one runs the action, the other is told it is running or shown the result.
 */
export class PendingActions {
  constructor(
    private readonly kv: Kv,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Stores a new preview; the same update handed over again finds the one it stored and shows that one
   * again, so a redelivered command is still one action.
   */
  async propose(id: string, a: Pick<PendingAction, 'command' | 'args' | 'adminId'>): Promise<PendingAction> {
    const fresh: PendingAction = { ...a, createdAt: this.now(), state: 'pending' };
    if (await this.kv.setIfAbsent(key(id), JSON.stringify(fresh), KEEP_SECONDS)) return fresh;
    return (await this.read(id))?.action ?? fresh;
  }

  /** A press of ✅ by `adminId`: the action to run now, or why not. */
  async claim(id: string, adminId: number): Promise<Claim> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.read(id);
      if (!found || found.action.adminId !== adminId) return { outcome: 'unknown' };
      const { raw, action } = found;
      if (action.state === 'done') return { outcome: 'done', result: action.result! };
      if (action.state === 'cancelled') return { outcome: 'cancelled' };
      const now = this.now();
      if (action.state === 'running' && now - (action.runningSince ?? 0) < TAKEOVER_MS)
        return { outcome: 'running' };
      if (action.state === 'pending' && now - action.createdAt > CONFIRM_WINDOW_MS)
        return { outcome: 'expired' };
      const running: PendingAction = { ...action, state: 'running', runningSince: now };
      if (await this.kv.compareAndSet(key(id), raw, JSON.stringify(running), KEEP_SECONDS))
        return { outcome: 'run', action: running };
    }
    return { outcome: 'running' };
  }

  /** The action ran: its result is what any later press shows. */
  finish(id: string, result: ActionResult): Promise<void> {
    return this.move(id, (a) => ({ ...a, state: 'done', result }));
  }

  /** The action failed (a refusal, a service down): pressing ✅ again tries again. */
  release(id: string): Promise<void> {
    return this.move(id, (a) => (a.state === 'running' ? { ...a, state: 'pending' } : a));
  }

  /** ❌: 'cancelled' when it was still waiting (or cancelled before); a running or done action stays. */
  async cancel(id: string, adminId: number): Promise<Exclude<Claim, { outcome: 'run' | 'expired' }>> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.read(id);
      if (!found || found.action.adminId !== adminId) return { outcome: 'unknown' };
      const { raw, action } = found;
      if (action.state === 'done') return { outcome: 'done', result: action.result! };
      if (action.state !== 'pending') return { outcome: action.state };
      const cancelled: PendingAction = { ...action, state: 'cancelled' };
      if (await this.kv.compareAndSet(key(id), raw, JSON.stringify(cancelled), KEEP_SECONDS))
        return { outcome: 'cancelled' };
    }
    return { outcome: 'running' };
  }

  private async move(id: string, change: (a: PendingAction) => PendingAction): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const found = await this.read(id);
      if (!found) return;
      const next = JSON.stringify(change(found.action));
      if (await this.kv.compareAndSet(key(id), found.raw, next, KEEP_SECONDS)) return;
    }
    throw new Error(`admin action ${id} kept changing under us`);
  }

  private async read(id: string): Promise<{ raw: string; action: PendingAction } | undefined> {
    const raw = await this.kv.get(key(id));
    return raw ? { raw, action: JSON.parse(raw) as PendingAction } : undefined;
  }
}

const key = (id: string) => `admin-action:${id}`;
