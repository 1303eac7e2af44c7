import { performance } from 'node:perf_hooks';
import type { Browser } from './browse';
import { sleep, summarize, type Summary } from './stats';

export interface LoadResult {
  /** Updates actually put in front of the bot per second during the measured window. */
  offeredPerS: number;
  /** Replies that reached the sandbox per second during the measured window. */
  handledPerS: number;
  latency: Summary;
  /** Updates the schedule wanted but no customer was free to send (all still waiting for replies). */
  notOffered: number;
  /** Every update answered, warm-up and drain included (for CPU per update). */
  completed: number;
  errors: string[];
}

interface Window {
  start: number;
  end: number;
}

class Recorder {
  readonly latencies: number[] = [];
  readonly errors: string[] = [];
  issued = 0;
  handled = 0;
  completed = 0;

  constructor(private readonly w: Window) {}

  inWindow = (t: number) => t >= this.w.start && t < this.w.end;

  /** Runs one step; latencies count for steps issued in the window, throughput for replies in it. */
  async step(b: Browser): Promise<boolean> {
    const issuedAt = performance.now();
    if (this.inWindow(issuedAt)) this.issued++;
    try {
      const ms = await b.next();
      this.completed++;
      if (this.inWindow(issuedAt)) this.latencies.push(ms);
      if (this.inWindow(issuedAt + ms)) this.handled++;
      return true;
    } catch (error) {
      this.errors.push((error as Error).message);
      return false;
    }
  }

  result(notOffered: number): LoadResult {
    const seconds = (this.w.end - this.w.start) / 1000;
    return {
      offeredPerS: this.issued / seconds,
      handledPerS: this.handled / seconds,
      latency: summarize(this.latencies),
      notOffered,
      completed: this.completed,
      errors: this.errors,
    };
  }
}

/**
 * Open loop: updates arrive on a schedule of `ratePerS`, whatever the bot's speed, each from a customer
 * who is not waiting for a reply. Only the window after the warm-up is measured; then every update
 * already sent is waited for (each step has its own time limit).
 */
export async function openLoop(
  browsers: Browser[],
  ratePerS: number,
  warmupMs: number,
  measureMs: number,
): Promise<LoadResult> {
  const start = performance.now();
  const w = { start: start + warmupMs, end: start + warmupMs + measureMs };
  const rec = new Recorder(w);
  const idle = [...browsers];
  const running: Promise<void>[] = [];
  let due = 0;
  let notOffered = 0;
  for (let now = start; now < w.end; now = performance.now()) {
    const target = Math.floor(((now - start) / 1000) * ratePerS);
    for (; due < target; due++) {
      const b = idle.shift();
      if (!b) {
        if (rec.inWindow(now)) notOffered++;
        continue;
      }
      running.push(rec.step(b).then((ok) => void (ok && idle.push(b))));
    }
    await sleep(2);
  }
  await Promise.all(running);
  return rec.result(notOffered);
}

/** Closed loop: each customer sends its next update as soon as the last one is answered. */
export async function closedLoop(
  browsers: Browser[],
  warmupMs: number,
  measureMs: number,
): Promise<LoadResult> {
  const start = performance.now();
  const w = { start: start + warmupMs, end: start + warmupMs + measureMs };
  const rec = new Recorder(w);
  await Promise.all(
    browsers.map(async (b) => {
      while (performance.now() < w.end) if (!(await rec.step(b))) return;
    }),
  );
  return rec.result(0);
}
