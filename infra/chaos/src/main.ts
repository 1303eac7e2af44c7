import path from 'node:path';
import { ReplyWatch } from '../../bench/dist/customer';
import { runMain } from '../../bench/dist/run-main';
import { gitCommit, ROOT } from '../../bench/dist/system';
import { apiCustomer } from './api-customer';
import { botCustomer } from './bot-customer';
import { drain } from './drain';
import { hostileUpdates } from './hostile';
import { Injector } from './injector';
import { checkInvariants, orderFigures } from './invariants';
import { PaidInvoices } from './payments';
import { PressCount } from './press-count';
import { buildReport, writeReport } from './report';
import type { RunState } from './run-state';
import { parseArgs, Random, Tally } from './settings';
import { setUp, tearDown } from './setup';
import { seedShop } from './shop';

const log = (line: string) => console.error(`[chaos] ${new Date().toISOString().slice(11, 19)} ${line}`);

/**
 * `npm run chaos [-- --quick] [-- --seed=N]`: customers shop while processes, connections, Pakasir and
 * Telegram fail; after a drain the money and stock invariants are checked. Exits 1 on any violation.
 */
async function main(): Promise<number> {
  const settings = parseArgs(process.argv.slice(2));
  const began = Date.now();
  const rng = new Random(settings.seed);
  log(`${settings.mode} run, seed ${settings.seed}, ${settings.replicas} of each process`);
  const c = await setUp(settings, log);
  const shop = await seedShop(c, settings.mode === 'quick' ? 60 : 400);
  const s: RunState = {
    c,
    shop,
    tally: new Tally(),
    paid: new PaidInvoices(),
    violations: [],
    until: Date.now() + settings.chaosMs,
    paymentWindowMs: settings.paymentWindowMs,
    presses: new Map(),
    pressCount: new PressCount(c.telegram, c.logDir),
    rng,
  };
  const watch = new ReplyWatch(c.telegram.store);
  const injector = new Injector(s, rng.fork(), settings.faultEveryMs);
  log(
    `chaos for ${settings.chaosMs / 1000} s: ${settings.apiCustomers} API customers, ${settings.botCustomers} bot customers`,
  );
  const actors = [
    injector.run(),
    hostileUpdates(s, settings.hostileUpdates, settings.chaosMs, rng.fork()),
    ...Array.from({ length: settings.apiCustomers }, (_, i) => apiCustomer(s, 940_000_000 + i, rng.fork())),
    ...Array.from({ length: settings.botCustomers }, (_, i) =>
      botCustomer(s, watch, 950_000_000 + i, rng.fork()),
    ),
  ];
  const outcomes = await Promise.allSettled(actors);
  for (const o of outcomes)
    if (o.status === 'rejected') log(`an actor failed: ${(o.reason as Error).message}`);
  log('faults stopped; restoring and draining');
  await injector.restoreAll();
  const drainedMs = await drain(s, settings.drainMs, log);
  log(
    drainedMs === undefined
      ? `not drained within ${settings.drainMs / 1000} s`
      : `drained in ${Math.round(drainedMs / 1000)} s`,
  );
  for (const name of c.system.exited())
    s.violations.push({
      invariant: 'no_process_crashed',
      subject: name,
      detail: `${name} is down after the drain`,
    });
  s.violations.push(...(await checkInvariants(s)));
  s.violations.push(...s.pressCount.violations());
  for (const [key, n] of Object.entries(await orderFigures(s))) s.tally.add(key, n);
  for (const [key, n] of Object.entries(s.pressCount.figures())) s.tally.add(key, n);

  const { json, table } = buildReport(s.tally, s.violations, {
    mode: settings.mode,
    seed: settings.seed,
    replicas: settings.replicas,
    git_commit: gitCommit(),
    started_at: new Date(began).toISOString(),
    drain_s: drainedMs === undefined ? null : Math.round(drainedMs / 1000),
    duration_s: Math.round((Date.now() - began) / 1000),
  });
  const file = path.join(ROOT, 'infra/chaos/results/latest.json');
  writeReport(file, json);
  console.log(table);
  console.log(
    `\n${settings.mode} run, seed ${settings.seed}, ${json.duration_s} s; figures in ${path.relative(ROOT, file)}`,
  );
  if (s.violations.length > 0) console.log(`\nFAILED: ${s.violations.length} violations`);
  return s.violations.length > 0 ? 1 : 0;
}

runMain('chaos', main, tearDown);
