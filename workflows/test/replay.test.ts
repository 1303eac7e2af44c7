import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './temporal';

const HISTORIES = join(__dirname, 'histories');

/**
 * Histories recorded from real runs (deposit, purchases paid by balance and by QRIS, an expired QRIS
 * purchase, a broadcast with a blocked user; then, once payments read the stored order, a QRIS
 * purchase, a deposit and a forged start refused) replayed on today's workflow code. A change that would
 * break workflows already running in production — a step added, removed or reordered without
 * `patched()` — fails here instead of there (docs/operations.md §9). The `press-*` histories are runs
 * started by a customer's press (Update-with-Start, issue 18): QRIS delivered, QRIS cancelled, balance
 * delivered, a deposit paid; and, with the `qr-becomes-notice` patch, a QRIS purchase cancelled and one
 * expired, a deposit expired. `warranty-no-stock-*`: a claim whose replacement found no stock, then
 * refunded, before and after the `warranty-no-stock-reopens-first` patch (recorded on the time-skipping
 * server). `press-*-patches-up-front`: a QRIS purchase and a deposit, paid, whose runs asked every patch
 * in their first task (press-patches.ts; dev server). `press-*-lean-*`: lean press runs (one patch,
 * Pakasir as local activities): QRIS delivered and expired, balance delivered, a deposit paid (dev
 * server, with the workflow tests' fake world). `press-deposit-credited-*`: a deposit paid after the
 * `deposit-credit-before-qr` patch, its QR edited into the notice, and one whose QR Telegram would not
 * edit (dev server, fake world). Others recorded with the e2e system;
 * add a file when a workflow gains a new path.
 */
describe('replaying recorded workflow histories', () => {
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')));
    // Payment workflows check their own id, so each replays under the id it ran with.
    const workflowId =
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId ?? file.replace(/\.json$/, '');
    await Worker.runReplayHistory(
      { workflowBundle: await bundle(require.resolve('../src/workflows')) },
      history,
      workflowId,
    );
  });
});
