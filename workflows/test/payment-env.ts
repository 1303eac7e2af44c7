import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { telegramQueueFor } from '@quickcart/workflow-api';
import type { FakeWorld } from './fake-world';
import { bundle, unique } from './temporal';

const workflowsPath = require.resolve('../src/workflows');

/** Runs `fn` while a payments worker and its Telegram companion worker serve the fake world. */
export async function withWorkers<T>(
  env: TestWorkflowEnvironment,
  world: FakeWorld,
  fn: (taskQueue: string) => Promise<T>,
): Promise<T> {
  const taskQueue = unique('payments');
  const payments = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundle(workflowsPath),
    activities: world.payments,
  });
  const telegram = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: telegramQueueFor(taskQueue),
    activities: world.messages,
  });
  try {
    return await telegram.runUntil(payments.runUntil(fn(taskQueue)));
  } finally {
    // A workflow left running with activities no worker will take would freeze the shared time-skipping
    // clock for the next test: end it.
    for (const id of started.splice(0))
      await env.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => {});
  }
}

const started: string[] = [];
/** Remember a workflow id so withWorkers ends it if the test leaves it running. */
export const track = (workflowId: string) => void started.push(workflowId);
