import { createLogger, type Logger } from '@quickcart/kit';
import { Writable } from 'node:stream';
import winston from 'winston';
import { startTelegramSandbox, type TelegramSandbox } from '@quickcart/sandbox';
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { PollingSupervisor } from './polling';

let sandbox: TelegramSandbox;
beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0 });
});
afterAll(() => sandbox?.close());
afterEach(() => sandbox.faults.reset());

const conflict = {
  method: 'getUpdates',
  errorCode: 409,
  description:
    'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
};

async function until(ok: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A logger whose lines a test can read. */
function recordingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('t', 'debug');
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  logger.clear().add(new winston.transports.Stream({ stream: sink }));
  return { logger, lines };
}

const supervisor = (
  token: string,
  store: (u: Update[]) => Promise<void>,
  logger: Logger = createLogger('t', 'silent'),
) =>
  new PollingSupervisor(new Telegram(token, { apiRoot: sandbox.apiRoot }), store, logger, {
    allowedUpdates: ['message'],
    minBackoffMs: 20,
    maxBackoffMs: 50,
    maxConflicts: 3,
  });

describe('polling into the inbox', () => {
  it('gives up after repeated 409s and says so, instead of fighting another instance for ever', async () => {
    sandbox.failNext({ ...conflict, count: 100 });
    const { logger, lines } = recordingLogger();
    const polling = supervisor('7200:conflict', async () => undefined, logger);
    polling.start();
    await until(() => polling.status().state === 'conflict', 'polling given up');
    expect(polling.status().lastError).toMatch(/Conflict/);
    // The alert line an operator's alerting keys on, once.
    const alerts = lines.filter((l) => l.alert === true);
    expect(alerts).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'telegram polling given up: another instance polls this bot',
        conflicts: 3,
        lastError: expect.stringMatching(/^409: Conflict/),
      }),
    ]);
    const left = sandbox.faults.pending();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sandbox.faults.pending()).toEqual(left); // it polls no more
    await polling.stop();
  });

  it('rides out fewer 409s in a row than that', async () => {
    sandbox.failNext({ ...conflict, count: 2 });
    const polling = supervisor('7201:conflict', async () => undefined);
    polling.start();
    try {
      await until(() => sandbox.faults.pending().length === 0, 'the 409s used up');
      await until(() => polling.status().state === 'polling', 'polling again');
    } finally {
      await polling.stop();
    }
  });

  it('asks past a batch only after the inbox stored it: a failed store gets the same updates again', async () => {
    const user = sandbox.user({ id: 700_000_000 + (process.pid % 10_000), firstName: 'Offset' });
    let failOnce = true;
    const stored: number[] = [];
    const polling = supervisor('7202:offset', async (updates) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('redis down');
      }
      stored.push(...updates.map((u) => u.update_id));
    });
    await user.send('satu');
    polling.start();
    try {
      await until(() => stored.length === 1, 'the update stored on the second try');
      await user.send('dua');
      await until(() => stored.length === 2, 'the next one');
      expect(stored[1]).toBe(stored[0]! + 1);
    } finally {
      await polling.stop();
    }
  });
});
