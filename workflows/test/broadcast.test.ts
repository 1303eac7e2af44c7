import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  broadcastProgress,
  cancelBroadcast,
  type BroadcastInput,
  type BroadcastProgress,
} from '@quickcart/workflow-api';
import { fakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

const ADMIN = 9001;
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

const users = (n: number) => Array.from({ length: n }, (_, i) => 100_000 + i * 7);
const input = (tuning?: BroadcastInput['tuning']): BroadcastInput => ({
  broadcastId: unique('bc'),
  adminId: ADMIN,
  message: { text: 'Promo <b>akhir</b> tahun!' },
  tuning,
});

describe('broadcast workflow', () => {
  it('sends once to each user across pages and fresh runs, counts the blocked, tells the admin', async () => {
    const audience = users(130);
    const world = fakeWorld({ audience });
    const blocked = [audience[3], audience[64], audience[129]];
    blocked.forEach((id) => world.blocked.add(id));
    const i = input({ pageSize: 40, historyLimit: 60 }); // 4 pages, a fresh run (continue-as-new) after each
    const result = await withWorkers(env, world, async (taskQueue) => {
      const h = await env.client.workflow.start('broadcast', {
        taskQueue,
        workflowId: `broadcast-${i.broadcastId}`,
        args: [i],
      });
      return h.result() as Promise<BroadcastProgress>;
    });
    expect(result).toEqual({ total: 130, sent: 127, failed: 3, blocked: 3, remaining: 0, state: 'done' });
    for (const id of audience) {
      expect(world.seenBy(id)).toEqual(blocked.includes(id) ? [] : ['broadcast']);
    }
    expect(world.calls.broadcastRecipients).toBe(5); // four pages and the empty one that ends it
    expect(world.broadcastsFinished).toEqual([{ broadcastId: i.broadcastId, ...result }]);
    expect(world.seenBy(ADMIN)).toEqual(['admin.broadcast_done']);
  });

  it('stops when the admin cancels, and the progress query says so', async () => {
    let release!: () => void;
    const world = fakeWorld({ audience: users(50) });
    world.behaviour.holdAudience = new Promise<void>((r) => (release = r));
    const i = input();
    const result = await withWorkers(env, world, async (taskQueue) => {
      const workflowId = `broadcast-${i.broadcastId}`;
      track(workflowId);
      const h = await env.client.workflow.start('broadcast', { taskQueue, workflowId, args: [i] });
      expect(await h.query(broadcastProgress)).toMatchObject({ state: 'sending', sent: 0 });
      await h.signal(cancelBroadcast, { actor: String(ADMIN) });
      release();
      return h.result() as Promise<BroadcastProgress>;
    });
    expect(result).toEqual({ total: 50, sent: 0, failed: 0, blocked: 0, remaining: 50, state: 'cancelled' });
    expect(world.sent.filter((s) => s.template === 'broadcast')).toEqual([]);
    expect(world.seenBy(ADMIN)).toEqual(['admin.broadcast_done']);
  });
});
