import type { RequestHandler } from 'express';
import { z } from 'zod';

/** Switches for tests, set from code or over HTTP (POST /_sandbox/faults) by other processes. */
export const faultSettings = z.object({
  /** Answer the next N matching calls with `failStatus`. */
  failNext: z.number().int().min(0).optional(),
  failStatus: z.number().int().min(400).max(599).optional(),
  /** Which paths fail and delay (substring match); by default every /api path. */
  failPaths: z.array(z.string().min(1)).nullable().optional(),
  /** Hold every matching call this long before answering. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Complete payments without calling the webhook. */
  dropWebhook: z.boolean().optional(),
  /** Send every webhook one extra time, also when a completed payment is simulated again. */
  duplicateWebhook: z.boolean().optional(),
  /** Answer the next N cancels with 404, as the unconfirmed cancel API may (docs/features.md §6). */
  failCancel: z.number().int().min(0).optional(),
  /** Carry out the next N matching calls, then drop the connection instead of answering. */
  loseAnswerNext: z.number().int().min(0).optional(),
});
export type FaultSettings = z.infer<typeof faultSettings>;
export type FaultState = Required<Omit<FaultSettings, 'failPaths'>> & { failPaths: string[] | null };

const defaults = (): FaultState => ({
  failNext: 0,
  failStatus: 503,
  failPaths: null,
  delayMs: 0,
  dropWebhook: false,
  duplicateWebhook: false,
  failCancel: 0,
  loseAnswerNext: 0,
});

export class Faults {
  private state = defaults();
  /** The paths of the calls `delayMs` is holding right now. */
  private readonly holding: string[] = [];

  /** Changes only the switches given; the rest keep their values. */
  set(settings: FaultSettings): FaultState {
    const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    this.state = { ...this.state, ...given };
    return this.get();
  }

  get(): FaultState {
    return { ...this.state, failPaths: this.state.failPaths && [...this.state.failPaths] };
  }

  reset(): void {
    this.state = defaults();
  }

  /** The paths of the calls being held by `delayMs` at this moment (a test waits for one to arrive). */
  held(): string[] {
    return [...this.holding];
  }

  /** Spends one forced cancel refusal, if any is left. */
  takeCancelFailure(): boolean {
    if (this.state.failCancel === 0) return false;
    this.state.failCancel--;
    return true;
  }

  /** Delays and failures for the Pakasir API and pay page; the /_sandbox controls are never touched. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!this.matches(req.path)) return next();
      const { delayMs } = this.state;
      const act = () => {
        if (this.state.failNext === 0 && this.state.loseAnswerNext > 0) {
          this.state.loseAnswerNext--;
          // The call is carried out; its answer never reaches the caller (a timeout, a reset proxy).
          res.end = (() => {
            req.socket.destroy();
            return res;
          }) as typeof res.end;
          return next();
        }
        if (this.state.failNext === 0) return next();
        this.state.failNext--;
        res.status(this.state.failStatus).json({
          error: 'upstream',
          reason: 'sandbox_fault',
          message: `injected fault: ${this.state.failStatus}`,
        });
      };
      if (delayMs === 0) return act();
      this.holding.push(req.path);
      setTimeout(() => {
        this.holding.splice(this.holding.indexOf(req.path), 1);
        act();
      }, delayMs);
    };
  }

  private matches(path: string): boolean {
    if (path.startsWith('/_sandbox') || path === '/health') return false;
    const { failPaths } = this.state;
    return failPaths ? failPaths.some((part) => path.includes(part)) : path.startsWith('/api/');
  }
}
