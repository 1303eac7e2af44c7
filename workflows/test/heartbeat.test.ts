import { mkdtempSync, utimesSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHeartbeatFresh, startHeartbeat } from '../src/worker/heartbeat';

const fileIn = () => path.join(mkdtempSync(path.join(tmpdir(), 'qc-heartbeat-')), 'worker.alive');
const eventually = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
};

describe("the worker's health signal", () => {
  it('is fresh while the worker runs, and gone once it stops', async () => {
    const file = fileIn();
    const heartbeat = startHeartbeat(file, () => true, 50);
    await eventually(() => isHeartbeatFresh(file, 1_000));
    await heartbeat.stop();
    expect(existsSync(file)).toBe(false);
    expect(isHeartbeatFresh(file, 1_000)).toBe(false);
  });

  it('is never written while the Temporal workers are not running', async () => {
    const file = fileIn();
    const heartbeat = startHeartbeat(file, () => false, 20);
    await new Promise((r) => setTimeout(r, 100));
    expect(isHeartbeatFresh(file)).toBe(false);
    await heartbeat.stop();
  });

  it('goes stale when the worker stops touching it (a hung or stopped worker)', async () => {
    let running = true;
    const file = fileIn();
    const heartbeat = startHeartbeat(file, () => running, 20);
    await eventually(() => isHeartbeatFresh(file, 1_000));
    running = false;
    // A beat already under way when it stopped lands within one interval; then the file only ages.
    await new Promise((r) => setTimeout(r, 100));
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    await new Promise((r) => setTimeout(r, 100));
    expect(isHeartbeatFresh(file, 30_000)).toBe(false);
    await heartbeat.stop();
  });
});
