import type { PaidInvoices } from './payments';
import type { PressCount } from './press-count';
import type { Random, Tally } from './settings';
import type { Chaos } from './setup';
import type { ChaosShop } from './shop';

import type { Violation } from './violation';

export type { Violation };

/** What every actor of a run shares: the system, the shop, the counts and the run's end. */
export interface RunState {
  c: Chaos;
  shop: ChaosShop;
  tally: Tally;
  paid: PaidInvoices;
  violations: Violation[];
  /** Customers and the injector stop starting new things at this time. */
  until: number;
  paymentWindowMs: number;
  /** Button presses that may make an order, per bot customer. */
  presses: Map<number, number>;
  /** Every person's messages and presses sent against those the gateways handled. */
  pressCount: PressCount;
  rng: Random;
}

/** Retries a call while the process behind it is down or restarting; refusals are thrown at once. */
export async function retrying<T>(call: () => Promise<T>, tries = 8, pauseMs = 1_500): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const refused =
        status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (refused || i >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
