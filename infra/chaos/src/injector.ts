import { readFileSync } from 'node:fs';
import path from 'node:path';
import { testServerUrl } from '@quickcart/db';
import { Client as PgClient } from 'pg';
import { Client, Connection } from '@temporalio/client';
import type { CopyName, ProcessName } from '../../bench/dist/system';
import { postCompletedWebhook } from './payments';
import type { RunState } from './run-state';
import { sleep, type Random } from './settings';

const log = (line: string) => console.error(`[chaos] ${new Date().toISOString().slice(11, 19)} ${line}`);

const PROCESSES: ProcessName[] = ['catalog', 'orders', 'gateway', 'worker'];

/** Every kind of fault the injector drives; quick mode goes through all of them before repeating. */
export const FAULT_KINDS = [
  'kill_catalog',
  'kill_orders',
  'kill_gateway',
  'kill_gateway_in_flight',
  'kill_worker',
  'kill_all',
  'kill_temporal',
  'kill_orders_in_checkout',
  'terminate_runs',
  'pg_terminate_backend',
  'pakasir_5xx_create',
  'pakasir_5xx_detail',
  'pakasir_hang_create',
  'pakasir_hang_detail',
  'forged_webhook',
  'telegram_429_storm',
  'telegram_5xx',
  'telegram_answer_lost',
] as const;
type FaultKind = (typeof FAULT_KINDS)[number];
/** The faults that kill one copy of a process (with --replicas, the others go on serving). */
const REPLICA_KILLS = [
  'kill_catalog',
  'kill_orders',
  'kill_gateway',
  'kill_gateway_in_flight',
  'kill_worker',
] as const satisfies readonly FaultKind[];

/**
 * Injects one fault at a time until the run's end: SIGKILLs and restarts (one process, all four, the
 * Temporal server), ends our database connections, makes Pakasir and Telegram fail. With copies of each
 * process (--replicas) a kill of one kind takes one copy, picked at random, while the others serve;
 * `kill_all` takes every copy. Meanwhile it watches for a process that died without being killed: a
 * crash, which is a violation.
 */
export class Injector {
  /** Processes down because the injector killed them (not crashes). */
  private readonly killed = new Set<string>();
  private watching = true;

  constructor(
    private readonly s: RunState,
    private readonly rng: Random,
    private readonly everyMs: number,
  ) {}

  async run(): Promise<void> {
    const watch = this.watchCrashes();
    // One copy of each process: the kinds (and, for a seed, their order) of the runs before --replicas.
    const copies = this.s.c.system.replicas('gateway').length > 1;
    const kinds = copies ? FAULT_KINDS : FAULT_KINDS.filter((k) => k !== 'kill_gateway_in_flight');
    const shuffled = [...kinds].sort(() => this.rng.next() - 0.5);
    // With copies, one copy of each kind is killed first while the others serve (a quick run does not
    // reach every kind): that is what --replicas is run for.
    const first = (k: FaultKind) => copies && (REPLICA_KILLS as readonly string[]).includes(k);
    const order = [...shuffled.filter(first), ...shuffled.filter((k) => !first(k))];
    for (let i = 0; Date.now() < this.s.until; i++) {
      await sleep(this.rng.int(this.everyMs / 2, (this.everyMs * 3) / 2));
      if (Date.now() >= this.s.until) break;
      const kind: FaultKind = i < order.length ? order[i]! : this.rng.pick(kinds);
      try {
        log(`fault ${kind}`);
        await this.inject(kind);
        this.s.tally.add(`faults_${kind}`);
      } catch (error) {
        this.s.tally.add('faults_not_injected');
        console.error(`[chaos] ${kind}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    this.watching = false;
    await watch;
  }

  private async inject(kind: FaultKind): Promise<void> {
    const { c } = this.s;
    const down = () => sleep(this.rng.int(500, 4_000));
    if (kind === 'kill_orders_in_checkout') {
      await this.killInsideCheckout();
    } else if (kind === 'terminate_runs') {
      await this.terminateRuns();
    } else if (kind === 'kill_gateway_in_flight') {
      await this.killGatewayInFlight(down);
    } else if (PROCESSES.some((p) => kind === `kill_${p}`)) {
      await this.bounce([this.oneCopy(kind.slice('kill_'.length) as ProcessName)], down);
    } else if (kind === 'kill_all') {
      await this.bounce(
        PROCESSES.flatMap((p) => c.system.replicas(p)),
        down,
      );
    } else if (kind === 'kill_temporal') {
      await c.temporal.kill();
      await down();
      await c.temporal.start();
    } else if (kind === 'pg_terminate_backend') {
      await terminateConnections(c.databases);
    } else if (kind === 'pakasir_5xx_create' || kind === 'pakasir_5xx_detail') {
      const path = kind === 'pakasir_5xx_create' ? '/api/transactioncreate' : '/api/transactiondetail';
      c.pakasir.faults.set({
        failNext: this.rng.int(2, 6),
        failStatus: this.rng.pick([500, 502, 503]),
        failPaths: [path],
      });
      await sleep(4_000);
      c.pakasir.faults.set({ failNext: 0, failPaths: null });
    } else if (kind === 'pakasir_hang_create' || kind === 'pakasir_hang_detail') {
      // Slower than the client's deadline: the call is abandoned while Pakasir may still act on it.
      const path = kind === 'pakasir_hang_create' ? '/api/transactioncreate' : '/api/transactiondetail';
      c.pakasir.faults.set({ delayMs: this.rng.int(8_000, 20_000), failPaths: [path] });
      await sleep(5_000);
      c.pakasir.faults.set({ delayMs: 0, failPaths: null });
    } else if (kind === 'forged_webhook') {
      await this.forgeWebhooks();
    } else if (kind === 'telegram_429_storm') {
      c.telegram.failNext({ errorCode: 429, count: this.rng.int(10, 40), retryAfter: this.rng.int(1, 3) });
    } else if (kind === 'telegram_5xx') {
      c.telegram.failNext({ errorCode: this.rng.pick([500, 502]), count: this.rng.int(3, 10) });
    } else {
      // Telegram acted, then its answer was lost: the window where a retry could send goods twice.
      c.telegram.failNext({ errorCode: 502, count: this.rng.int(1, 3), applied: true });
    }
  }

  /**
   * An aimed crash: orders restarted with QC_FAULT_HOLD on one checkout step (the windows of issue 12:
   * before the order commits, after it, before the workflow starts), SIGKILLed once a customer's
   * checkout is held there (or after 10 s), then started again without the hold.
   */
  private async killInsideCheckout(): Promise<void> {
    const { system, logDir } = this.s.c;
    const victim = this.oneCopy('orders');
    const step = this.rng.pick([
      'checkout.before-order-commit',
      'checkout.after-order-commit',
      'checkout.before-workflow-start',
    ]);
    const logFile = path.join(logDir, `${victim}.log`);
    const holds = () => readFileSync(logFile, 'utf8').split('fault hold reached').length - 1;
    this.killed.add(victim);
    try {
      await system.restart(victim, { QC_FAULT_HOLD: step });
      const before = holds();
      for (const end = Date.now() + 10_000; Date.now() < end && holds() === before;) await sleep(200);
      if (holds() > before) this.s.tally.add(`faults_kill_orders_held_at_${step.slice('checkout.'.length)}`);
      await system.restart(victim, { QC_FAULT_HOLD: undefined });
    } finally {
      this.killed.delete(victim);
    }
  }

  /** One copy of a kind, at random; the only one without --replicas (no draw: a seed's run is as before). */
  private oneCopy(kind: ProcessName): ProcessName | CopyName {
    const copies = this.s.c.system.replicas(kind);
    return copies.length === 1 ? copies[0]! : this.rng.pick(copies);
  }

  /**
   * With --replicas, a gateway copy killed with updates in flight (issue 19): ten people send two
   * messages each (a product's number) at once, and a gateway copy is SIGKILLed within a moment, while
   * those updates are at the webhook, in the inbox or in their handlers. Every one must still be handled
   * (`no_press_lost`).
   */
  private async killGatewayInFlight(down: () => Promise<unknown>): Promise<void> {
    const { c, shop } = this.s;
    const victim = this.oneCopy('gateway');
    for (let i = 0; i < 10; i++) {
      const person = { id: 970_000_000 + i, firstName: `Burst ${i}` };
      for (let k = 0; k < 2; k++)
        c.telegram.actions.send(person, { text: String(this.rng.pick(shop.products)) });
    }
    this.s.tally.add('in_flight_updates_sent', 20);
    await sleep(this.rng.int(0, 300));
    await this.bounce([victim], down);
  }

  /**
   * An operator ends open payment runs in the Web UI (terminate: no workflow code runs after it). Orders'
   * sweeps must close each order and give back what it held; a payment that lands afterwards is a late
   * payment. `unpaid_balance_order_keeps_no_money` and the other invariants check it after the drain.
   */
  private async terminateRuns(): Promise<void> {
    const { c } = this.s;
    const { rows } = await c.db.query<{ invoice_id: string; kind: string }>(
      `SELECT invoice_id, kind FROM orders.orders WHERE status = 'pending' ORDER BY random() LIMIT $1`,
      [this.rng.int(1, 3)],
    );
    const connection = await Connection.connect({ address: `127.0.0.1:${c.temporal.port}` });
    try {
      const client = new Client({ connection });
      for (const r of rows) {
        await client.workflow
          .getHandle(`${r.kind}-${r.invoice_id}`)
          .terminate('chaos: an operator ended the run')
          .then(() => this.s.tally.add('runs_terminated'))
          .catch(() => this.s.tally.add('runs_not_terminated'));
      }
    } finally {
      await connection.close();
    }
  }

  /**
   * Webhooks nobody paid for, posted to the real webhook URL (as if its secret had leaked): one for an
   * open invoice with its right amount and "completed", one for an invoice that does not exist. Orders
   * must confirm with Pakasir and move nothing; `nothing_delivered_unpaid` checks it after the drain.
   */
  private async forgeWebhooks(): Promise<void> {
    const { c } = this.s;
    const { rows } = await c.db.query<{ invoice_id: string }>(
      `SELECT invoice_id FROM orders.orders WHERE status = 'pending' AND payment_method = 'qris'
        ORDER BY created_at DESC LIMIT 3`,
    );
    const open = rows.map((r) => c.pakasir.transaction(r.invoice_id)).find((tx) => tx?.status === 'pending');
    const forged = [
      ...(open ? [{ orderId: open.orderId, amount: open.amount }] : []),
      { orderId: `INV-FORGED-${this.rng.int(1, 1e9)}`, amount: this.rng.int(500, 500_000) },
    ];
    for (const f of forged) await postCompletedWebhook(c, f.orderId, f.amount);
    this.s.tally.add('forged_webhooks', forged.length);
  }

  /** SIGKILL, a pause, then a restart in start order (catalog first: the others read from it). */
  private async bounce(names: (ProcessName | CopyName)[], pause: () => Promise<unknown>): Promise<void> {
    const { system } = this.s.c;
    for (const n of names) this.killed.add(n);
    await Promise.all(names.map((n) => system.kill(n)));
    await pause();
    for (const n of names) {
      for (let attempt = 1; ; attempt++) {
        try {
          await system.restart(n);
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      this.killed.delete(n);
    }
  }

  /** A process that exited while the injector had not killed it crashed: restart it, record it. */
  private async watchCrashes(): Promise<void> {
    const { system } = this.s.c;
    while (this.watching) {
      for (const name of system.exited()) {
        if (this.killed.has(name)) continue;
        if (this.s.c.temporal.steady()) {
          this.s.tally.add(`crashes_${name}`);
          this.s.violations.push({
            invariant: 'no_process_crashed',
            subject: name,
            detail: `${name} exited on its own`,
          });
        } else {
          // Orders and the worker exit when they cannot reach Temporal; npm start restarts them.
          this.s.tally.add(`exits_while_temporal_down_${name}`);
        }
        this.killed.add(name);
        await system
          .restart(name as ProcessName | CopyName)
          .catch((e: Error) => console.error(`[chaos] restart ${name}: ${e.message.split('\n')[0]}`));
        await sleep(1_000); // npm start's backoff
        this.killed.delete(name);
      }
      await sleep(500);
    }
  }

  /** After the run: anything still down (a failed restart) is started again. */
  async restoreAll(): Promise<void> {
    const { c } = this.s;
    await c.temporal.start();
    for (const name of c.system.exited()) await c.system.restart(name as ProcessName | CopyName);
  }
}

/** pg_terminate_backend on this run's databases only; the machine's PostgreSQL keeps running. */
export async function terminateConnections(databases: string[]): Promise<number> {
  const admin = new PgClient({ connectionString: testServerUrl() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
      [databases],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}
