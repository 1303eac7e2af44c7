import { eventually } from './eventually';
import { startProcessSystem, type ProcessSystem } from './process-system';

/**
 * The owner hears in Telegram that the worker is gone (docs/operations.md §16): the worker process is
 * killed, and the owner's chat gets one "worker not polling" alert through the real gateway (the
 * Telegram emulator), then one "resolved" once the worker polls again.
 */
let sys: ProcessSystem | undefined;
let passed = false;
afterAll(() => sys?.close({ keepLogs: !passed }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('tells the owner once when the worker stopped polling Temporal, and once when it is back', async () => {
  sys = await startProcessSystem({ name: 'owner-alerts', logLevel: 'warn' });
  const { system, urls } = sys;
  const owner = sys.telegram.user({ id: sys.adminId, firstName: 'Owner' });
  const workerAlerts = () =>
    owner
      .botMessages()
      .map((m) => m.text ?? '')
      .filter((t) =>
        /worker_not_polling|Worker tidak mengambil tugas|The worker is not taking tasks/.test(t),
      );
  // The worker's listener answers before it polls: ready once both of its workers run.
  const workerReady = () =>
    fetch(`${urls.worker}/ready`, { headers: { authorization: `Bearer ${sys!.metricsToken}` } }).then(
      (r) => r.status,
      () => 0,
    );
  await eventually(workerReady, (status) => status === 200, 'the worker polling', 120_000);
  // Orders again, now checking twice a second and telling the owner after a second of no polling (a
  // minute in production); before, the worker's start (bundled at start here) could have looked like one.
  await system.restart('orders', { ALERT_CHECK_INTERVAL: '500ms', ALERT_WORKER_SILENCE: '1s' });
  await sleep(3_000);
  expect(workerAlerts()).toEqual([]); // the worker polls: nothing said

  await system.kill('worker');
  // Its last poll must be older than a long poll (70 s) before it counts as not polling.
  const [firing] = await eventually(workerAlerts, (a) => a.length > 0, 'the alert', 180_000);
  expect(firing).toMatch(
    /^🚨 Peringatan: Worker tidak mengambil tugas dari Temporal \(poll terakhir: \d{4}-/,
  );
  await sleep(2_000);
  expect(workerAlerts()).toEqual([firing]); // once while it lasts

  await system.restart('worker');
  await eventually(workerAlerts, (a) => a.length > 1, '"resolved"', 120_000);
  await sleep(2_000);
  expect(workerAlerts()).toEqual([firing, '✅ Selesai: worker_not_polling sudah normal kembali.']);
  passed = true;
}, 420_000);
