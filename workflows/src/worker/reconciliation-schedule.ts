import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleHandle,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { reconcilePayments } from '../reconciliation';
import { reconciliationScheduleFor, type ReconcileInput } from '@quickcart/workflow-api';

export interface ReconciliationSchedule {
  /** The workflow task queue (the worker's); the schedule's id is derived from it. */
  taskQueue: string;
  /** How often a sweep starts (production: every 5 minutes). */
  every: Duration;
  /** What each sweep is given, e.g. the hours of closed invoices it asks about. */
  input?: ReconcileInput;
}

/**
 * Creates the Temporal Schedule that runs `reconcilePayments`, or brings an existing one up to date
 * (interval, input, task queue), so every worker start can call it: one schedule, never a second. A
 * sweep still running when the next is due is not joined by another (overlap: skip).
 */
export async function ensureReconciliationSchedule(
  client: Client,
  s: ReconciliationSchedule,
): Promise<ScheduleHandle> {
  const scheduleId = reconciliationScheduleFor(s.taskQueue);
  const spec: ScheduleSpec = { intervals: [{ every: s.every }] };
  const action: ScheduleOptionsStartWorkflowAction<typeof reconcilePayments> = {
    type: 'startWorkflow',
    workflowType: 'reconcilePayments',
    workflowId: scheduleId,
    taskQueue: s.taskQueue,
    args: [s.input ?? {}],
    workflowExecutionTimeout: '1 hour',
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP };
  try {
    return await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(scheduleId);
  await handle.update((previous) => ({ ...previous, spec, action, policies }));
  return handle;
}
