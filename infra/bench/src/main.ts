import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkoutRamp, type CheckoutResult } from './checkout';
import { Customer } from './customer';
import type { FlashResult } from './flash';
import { botGroup, checkoutGroup, flashGroup } from './groups';
import { Report, writeJson } from './report';
import { parseArgs, type Args } from './settings';
import { setUp, tearDown } from './setup';
import { registerCustomers } from './shop';
import { runMain } from './run-main';
import { Shopper } from './shopper';
import { gitCommit, ROOT } from './system';
import { verify } from './verify';

const log = (line: string) => console.error(`[bench] ${line}`);
const ids = (base: number, count: number) => Array.from({ length: count }, (_, i) => base + i);

/**
 * `npm run bench [-- --quick] [-- --replicas=N]`: the whole system under load; prints a table and
 * writes the same figures to infra/bench/results/latest.json. Exits non-zero only on a wrong result,
 * never on timing. With `--replicas=N` (N > 1) it runs twice in one go, one copy of each process and
 * then N behind round-robin proxies, on the same commit and machine, and prints both side by side.
 */
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const began = performance.now();
  const counts = args.replicas > 1 ? [1, args.replicas] : [1];
  const runs: { replicas: number; report: Report; failures: string[] }[] = [];
  for (const replicas of counts) {
    runs.push({ replicas, ...(await runOnce(args, replicas)) });
    await tearDown(); // the next run starts on fresh databases, sandboxes and processes
  }
  const failures = runs.flatMap((r) =>
    r.failures.map((f) => (runs.length > 1 ? `${r.replicas} replica(s): ${f}` : f)),
  );
  const file = path.join(ROOT, 'infra/bench/results/latest.json');
  const duration = Math.round((performance.now() - began) / 1000);
  if (runs.length === 1) {
    runs[0]!.report.write(file);
    console.log(runs[0]!.report.table());
  } else {
    const columns = runs.map((r) => ({
      title: `${r.replicas} replica${r.replicas > 1 ? 's' : ''}`,
      report: r.report,
    }));
    writeJson(file, {
      mode: args.settings.mode,
      replicas: counts,
      duration_s: duration,
      failures,
      runs: Object.fromEntries(runs.map((r) => [String(r.replicas), r.report.json()])),
    });
    console.log(Report.sideBySide(columns));
  }
  console.log(`\n${args.settings.mode} run, ${duration} s; figures in ${path.relative(ROOT, file)}`);
  if (failures.length > 0) console.log(`\nFAILED (wrong results, not timing):\n  ${failures.join('\n  ')}`);
  return failures.length > 0 ? 1 : 0;
}

/** One run of the groups on a fresh system with `replicas` copies of each process. */
async function runOnce(args: Args, replicas: number): Promise<{ report: Report; failures: string[] }> {
  const s = args.settings;
  const began = performance.now();
  const report = new Report();
  Object.assign(report.meta, {
    mode: s.mode,
    gateway_mode: args.gatewayMode,
    replicas,
    telegram_rate_per_s: args.telegramRate ?? 'default',
    cores: availableParallelism(),
    node: process.version,
    git_commit: gitCommit(),
    started_at: new Date().toISOString(),
  });
  log(
    `${s.mode} run on node ${process.version}, ${replicas} of each process, gateway by ${args.gatewayMode}: ${[...args.only].join(', ')}`,
  );
  const b = await setUp(s, {
    keepDatabases: args.keepDatabases,
    gatewayMode: args.gatewayMode,
    telegramRate: args.telegramRate,
    replicas,
    log,
  });
  const customer = (id: number) => new Customer(b.telegram, b.watch, id);
  const shopper = (id: number, productId: number, timeoutMs: number) =>
    new Shopper(customer(id), b.pakasir, b.shop.goodsPrefix(productId), timeoutMs);

  const botIds = ids(910_000_000, s.bot.customers);
  const buyerIds = ids(920_000_000, Math.max(...s.checkout.levels) + 1);
  // Flash-sale customers stay new to the shop: their first update creates them, as in a real rush.
  const flashIds = ids(930_000_000, s.flash.customers);
  await registerCustomers(b.urls.orders, b.token, [...botIds, ...buyerIds]);
  const buyers = buyerIds.map((id) => shopper(id, b.shop.checkoutProduct, s.checkout.timeoutMs));

  // One purchase end to end first: the worker polls, every pool is open, the JIT is warm.
  log('warm-up purchase');
  const warm = await checkoutRamp([buyers.at(-1)!], b.shop.checkoutProduct, {
    levels: [1],
    warmupMs: 0,
    measureMs: 1,
    log: () => undefined,
  });
  if (warm.errors.length > 0) throw new Error(`the warm-up purchase failed: ${warm.errors.join('; ')}`);

  const errors: string[] = [];
  let checkout: CheckoutResult | undefined;
  let flash: FlashResult | undefined;
  if (args.only.has('bot')) {
    errors.push(...(await botGroup(b, s, botIds.map(customer), report, log)));
  }
  if (args.only.has('checkout')) {
    checkout = await checkoutGroup(b, s, buyers, report, log);
    errors.push(...checkout.errors);
  }
  if (args.only.has('flash')) {
    const flashBuyers = flashIds.map((id) => shopper(id, b.shop.flashProduct, s.flash.timeoutMs));
    flash = await flashGroup(b, s, flashBuyers, report, log);
    errors.push(...flash.errors);
    if (flash.goodsDelivered !== s.flash.items)
      errors.push(`flash sale: ${flash.goodsDelivered} customers got goods for ${s.flash.items} items`);
  }

  const failures = errors.slice(0, 20);
  if (errors.length > 20) {
    // The table shows twenty; a diagnosis needs them all.
    const all = path.join(b.system.logDir, 'errors.txt');
    writeFileSync(all, errors.join('\n') + '\n');
    failures.push(`... and ${errors.length - 20} more errors (all in ${path.relative(ROOT, all)})`);
  }
  const exited = b.system.exited();
  if (exited.length > 0) failures.push(`processes exited during the run: ${exited.join(', ')}`);
  const problems = await verify(b.telegram, [...botIds, ...buyerIds, ...flashIds], b.shop, {
    checkout: [...warm.deliveries, ...(checkout?.deliveries ?? [])],
    flash: flash?.deliveries ?? [],
    flashItems: s.flash.items,
  });
  failures.push(...problems);

  for (const [name, threads] of Object.entries(b.meter.threads())) {
    const top = Object.entries(threads)
      .sort((x, y) => y[1] - x[1])
      .slice(0, 6);
    log(
      `${name} CPU by thread over the run: ${top.map(([t, cpu]) => `${t} ${cpu.toFixed(1)} s`).join(', ')}`,
    );
  }
  report.section('Peak resident memory, MiB (VmHWM)');
  for (const [name, mb] of Object.entries(b.meter.peakRss())) {
    report.add(`rss_peak_mb_${name}`, name, mb ?? Number.NaN, 0);
  }
  report.meta.duration_s = Math.round((performance.now() - began) / 1000);
  report.meta.errors = errors.length;
  report.meta.failures = failures;
  return { report, failures };
}

runMain('bench', main, tearDown);
