import { isCorrelationId, withCorrelation, type Logger } from '@quickcart/kit';
import { CORRELATION_ACTIVITY_HEADER } from '@quickcart/workflow-api';
import { ApplicationFailure, type Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptorsFactory,
  Next,
} from '@temporalio/worker';
import type { WorkerMetrics } from './metrics';

/**
 * Every activity runs under its workflow's correlation id (the header the workflow interceptor adds,
 * correlation-interceptors.ts), so its log lines and its calls to catalog, orders and the gateway carry
 * it; and what the worker's metrics count is read here, from the activities' own inputs and outcomes.
 */
export function activityInterceptors(metrics: WorkerMetrics, logger: Logger): ActivityInterceptorsFactory {
  return (ctx) => ({ inbound: new ObservedActivity(ctx, metrics, logger) });
}

class ObservedActivity implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly metrics: WorkerMetrics,
    private readonly logger: Logger,
  ) {}

  execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
    const header = input.headers[CORRELATION_ACTIVITY_HEADER];
    const id: unknown = header ? defaultPayloadConverter.fromPayload(header) : undefined;
    const run = () => this.observed(input, next);
    return isCorrelationId(id) ? withCorrelation(id, run) : run();
  }

  private async observed(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ) {
    const { activityType, attempt, workflowExecution } = this.ctx.info;
    const arg = (input.args[0] ?? {}) as { invoiceId?: string; to?: string; key?: string };
    const started = performance.now();
    // Debug only: one line per activity attempt, under the run's correlation id.
    const done = (outcome: string) =>
      this.logger.debug('activity finished', {
        activityType,
        attempt,
        workflowId: workflowExecution?.workflowId,
        outcome,
        ms: Math.round(performance.now() - started),
      });
    try {
      const result = await next(input);
      done('completed');
      if (activityType === 'markOrder' && arg.to === 'paid' && arg.invoiceId)
        this.metrics.paid(arg.invoiceId);
      if (activityType === 'deliverPurchase' && arg.invoiceId) this.metrics.delivered(arg.invoiceId);
      if (isBroadcastSend(activityType, arg.key)) this.metrics.broadcastMessage('sent');
      return result;
    } catch (error) {
      done('failed');
      if (this.isLastAttempt(error)) {
        const type = error instanceof ApplicationFailure ? (error.type ?? 'error') : 'error';
        if (activityType === 'deliverPurchase') this.metrics.deliveryFailed(type);
        if (isBroadcastSend(activityType, arg.key))
          this.metrics.broadcastMessage(type === 'BotBlocked' ? 'blocked' : 'failed');
      }
      throw error;
    }
  }

  /** The workflow sees this failure: a refusal, or the retry policy's last attempt. */
  private isLastAttempt(error: unknown): boolean {
    if (error instanceof ApplicationFailure && error.nonRetryable) return true;
    const max = this.ctx.info.retryPolicy?.maximumAttempts;
    return max !== undefined && max > 0 && this.ctx.info.attempt >= max;
  }
}

/** A broadcast's message to one user (workflows/src/broadcast.ts keys them `broadcast:<id>:<user>`). */
const isBroadcastSend = (activityType: string, key: string | undefined) =>
  activityType === 'sendMessage' && key?.startsWith('broadcast:') === true;
