import {
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { MessageActivities, PaymentActivities } from './worker/activities';
import { telegramQueueFor } from '@quickcart/workflow-api';

// How hard each kind of step retries, in one place a reader can see (docs/architecture.md §2.1). The Telegram ones are
// functions: their task queue follows the running workflow's (telegramQueueFor).

/**
 * Calls made with `options`, as regular or as local activities, whichever `local()` says when a call is
 * made (it follows the run's own flags below).
 */
function eitherWay(options: ActivityOptions, local: () => boolean): PaymentActivities {
  const remote = proxyActivities<PaymentActivities>(options);
  const locally = proxyLocalActivities<PaymentActivities>(options);
  return new Proxy({} as PaymentActivities, {
    get: (_target, name) => (local() ? locally : remote)[name as keyof PaymentActivities],
  });
}

/** Our own services: quick calls, retried until they answer (they may be restarting). */
const servicesOptions = {
  startToCloseTimeout: '15s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
} satisfies ActivityOptions;
let servicesAreLocal = false;

/** Pakasir: slower, retried with a longer backoff; 4xx answers are not retried (activities decide). */
const pakasirOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute' },
} satisfies ActivityOptions;
let pakasirIsLocal = false;

/**
 * A run started by a press calls our own services as local activities (issue 18, "less Temporal per
 * purchase"): each is a short HTTP call, idempotent by invoice id, run by the worker that runs the
 * workflow task and recorded as one marker, instead of three events and a workflow task round trip on
 * the activity queue. A lean press run (press-patches.ts) calls Pakasir so too: a call longer than the
 * workflow task's timeout is fine, the worker keeps the task alive while a local activity runs. Runs
 * started by older code keep the activities their histories have. Called first thing in the run (module
 * state is the run's own), by beginPressRun.
 */
export function callServicesLocally({ pakasirToo }: { pakasirToo: boolean }): void {
  servicesAreLocal = true;
  pakasirIsLocal = pakasirToo;
}

/**
 * A press's open is an activity of its own even in a run that calls its services locally: the run's
 * first workflow task then completes at once, which is what accepts checkout's `open` update (a slow
 * open, a held reservation, must not read as "Temporal did not take the press").
 */
export const opening = proxyActivities<PaymentActivities>(servicesOptions);

/** Our services, as this run calls them (callServicesLocally). */
export const services = eitherWay(servicesOptions, () => servicesAreLocal);

/** Pakasir, as this run calls it (callServicesLocally). */
export const pakasir = eitherWay(pakasirOptions, () => pakasirIsLocal);

/** Telegram, on the rate-capped queue. Retried until it answers, except a blocked bot. */
const telegramOptions = (): ActivityOptions => ({
  taskQueue: telegramQueueFor(workflowInfo().taskQueue),
  startToCloseTimeout: '20s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
export const telegram = () => proxyActivities<MessageActivities>(telegramOptions());

/**
 * Notices (notices.ts): like `telegram`, but given up after a bound. A busy shop can owe one admin chat
 * more messages than Telegram lets through (about one a second), and every notice then answers 429 for
 * minutes; a notice is best effort, so past the bound it is logged and the workflow goes on, and never
 * holds up a refund or the next money step (the full chaos run found reconciliation waiting on them).
 */
export const NOTICE_GIVE_UP = '2 minutes';
export const noticeSender = () =>
  proxyActivities<MessageActivities>({ ...telegramOptions(), scheduleToCloseTimeout: NOTICE_GIVE_UP });

/** Delivery gives up after a few tries and parks the order for an operator (status delivery_failed). */
export const delivery = () =>
  proxyActivities<MessageActivities>({
    taskQueue: telegramQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '30s',
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
  });

/** Tidying the QR message: a few tries, then the fallback (docs/features.md §2.6). */
export const tidy = () =>
  proxyActivities<MessageActivities>({
    taskQueue: telegramQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '20s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 },
  });

/** One broadcast message: a few tries, then it counts as failed; the broadcast goes on. */
export const broadcastSend = () =>
  proxyActivities<MessageActivities>({
    taskQueue: telegramQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '10s',
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 5 },
  });
