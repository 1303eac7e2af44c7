import { createLogger } from '@quickcart/kit';
import { RedisInbox } from '@quickcart/gateway/inbox';
import { createClient } from 'redis';
import type { Update } from 'telegraf/types';
import { TEST_REDIS_URL } from './system';

/**
 * `node infra/bench/dist/inbox-cost.js [updates]`: what the gateway's Redis inbox alone costs an update
 * (docs/architecture.md §8.1), measured without the rest of the system, whose noise on a 2-core machine
 * (±0.3 ms of gateway CPU per update between bot-bench runs) hides a change of a tenth of a millisecond.
 * Stores updates in batches of 20 (as getUpdates hands them over) for 500 chats and settles them with a
 * handler that does nothing; prints the gateway's CPU per update and the updates settled a second.
 */
async function main(): Promise<void> {
  const updates = Number(process.argv[2] ?? 20_000);
  const url = TEST_REDIS_URL();
  const prefix = `bench:inbox-cost:${process.pid}:`;
  const policy = { partitions: 16, maxAttempts: 3, pauseMs: () => 20 };
  const inbox = await RedisInbox.connect(url, prefix, policy, createLogger('inbox-cost', 'silent'));
  let settled = 0;
  let allSettled!: () => void;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  inbox.start(async () => {
    if (++settled === updates) allSettled();
  });
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // the partitions taken
  const cpu = process.cpuUsage();
  const started = Date.now();
  for (let id = 1; id <= updates;) {
    const batch: Update[] = [];
    for (let i = 0; i < 20 && id <= updates; i++, id++) {
      const chat = { id: 1_000 + (id % 500), type: 'private' };
      batch.push({
        update_id: id,
        message: { message_id: id, date: 1, chat, from: chat, text: 'x' },
      } as never);
    }
    await inbox.add(batch);
  }
  await done;
  const used = process.cpuUsage(cpu);
  const wallMs = Date.now() - started;
  await inbox.stop(1_000);
  const redis = await createClient({ url }).connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
    if (keys.length > 0) await redis.del(keys);
  await redis.quit();
  console.log(`inbox, ${updates} updates stored and settled`);
  console.log(`  gateway CPU per update (µs)   ${((used.user + used.system) / updates).toFixed(1)}`);
  console.log(`  updates settled a second      ${Math.round(updates / (wallMs / 1000))}`);
}

void main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
