import { CORRELATION_ACTIVITY_HEADER, CORRELATION_MEMO_KEY } from '@quickcart/workflow-api';
import {
  defaultPayloadConverter,
  workflowInfo,
  type ActivityInput,
  type GetLogAttributesInput,
  type Next,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/**
 * Workflow interceptors (run inside the workflow sandbox, bundled by the worker as a workflow module):
 * a run's correlation id, kept in its memo by orders, goes with every activity it schedules (a header
 * the worker's activity interceptor reads, activity-interceptors.ts) and on its own log lines
 * (docs/operations.md §17). The workflows themselves are untouched; headers are not part of what replay
 * compares, so old histories replay as before.
 */
const correlationId = (): string | undefined => {
  const id = workflowInfo().memo?.[CORRELATION_MEMO_KEY];
  return typeof id === 'string' ? id : undefined;
};

class CorrelationOutbound implements WorkflowOutboundCallsInterceptor {
  scheduleActivity(input: ActivityInput, next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>) {
    const id = correlationId();
    if (id === undefined) return next(input);
    return next({
      ...input,
      headers: { ...input.headers, [CORRELATION_ACTIVITY_HEADER]: defaultPayloadConverter.toPayload(id) },
    });
  }

  getLogAttributes(
    input: GetLogAttributesInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    const id = correlationId();
    return next(id === undefined ? input : { ...input, correlationId: id });
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({ outbound: [new CorrelationOutbound()] });
