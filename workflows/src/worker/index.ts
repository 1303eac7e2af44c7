import { Registry } from '@quickcart/kit';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createMessageActivities, createPaymentActivities, type ActivityDeps } from './activities';
import { activityInterceptors } from './activity-interceptors';
import { workerMetrics, type WorkerMetrics } from './metrics';
import { WORKFLOW_INTERCEPTOR_MODULES } from './workflow-bundle';
import { TASK_QUEUE, telegramQueueFor } from '@quickcart/workflow-api';

export { ensureReconciliationSchedule } from './reconciliation-schedule';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  deps: ActivityDeps;
  /** Pre-built bundle (tests bundle once) or the workflows source path. */
  workflows: WorkflowBundleOption | { workflowsPath: string };
  /** Telegram allows about 30 messages a second for the whole bot; stay below it (docs/features.md §7). */
  telegramPerSecond?: number;
  /** The workflow task queue; Telegram activities run on its companion queue. */
  taskQueue?: string;
  /** Where what the activities show is counted (main.ts serves it); default: counted nowhere. */
  metrics?: WorkerMetrics;
}

/**
 * Two workers in one process: `payments` runs the workflows and the service/Pakasir activities;
 * `payments-telegram` runs only Telegram-sending activities, rate-capped for the whole task queue by the
 * server, so order messages and broadcasts share one budget.
 */
export async function createWorkers(o: WorkerOptions): Promise<{
  run: () => Promise<void>;
  shutdown: () => void;
  isRunning: () => boolean;
  state: () => string;
}> {
  const taskQueue = o.taskQueue ?? TASK_QUEUE;
  const activity = [activityInterceptors(o.metrics ?? workerMetrics(new Registry()), o.deps.logger)];
  // A pre-built bundle carries its workflow interceptors (the image's: writeWorkflowBundle; tests': their
  // own); bundled at start, the same modules are added here.
  const workflowSource =
    'workflowsPath' in o.workflows
      ? {
          workflowsPath: o.workflows.workflowsPath,
          interceptors: { activity, workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
        }
      : { workflowBundle: o.workflows, interceptors: { activity } };
  const payments = await Worker.create({
    connection: o.connection,
    namespace: o.namespace ?? 'default',
    taskQueue,
    ...workflowSource,
    activities: createPaymentActivities(o.deps),
  });
  const telegram = await Worker.create({
    connection: o.connection,
    namespace: o.namespace ?? 'default',
    taskQueue: telegramQueueFor(taskQueue),
    activities: createMessageActivities(o.deps),
    interceptors: { activity },
    maxTaskQueueActivitiesPerSecond: o.telegramPerSecond ?? 25,
  });
  return {
    run: async () => {
      await Promise.all([payments.run(), telegram.run()]);
    },
    shutdown: () => {
      payments.shutdown();
      telegram.shutdown();
    },
    /** Both workers polling: what the heartbeat reports. */
    isRunning: () => payments.getState() === 'RUNNING' && telegram.getState() === 'RUNNING',
    /** RUNNING while both poll; anything else (a worker that failed, one stopping) is not ready. */
    state: () => (payments.getState() === 'RUNNING' ? telegram.getState() : payments.getState()),
  };
}
