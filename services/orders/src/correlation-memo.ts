import { currentCorrelationId } from '@quickcart/kit';
import { CORRELATION_MEMO_KEY } from '@quickcart/workflow-api';

/**
 * The id of the request that starts a workflow (a Telegram update's, a webhook's), for its memo: the
 * worker logs every activity of the run under it (docs/operations.md §17). A start by the relay, outside
 * any request, has none. Spread into a start's options: `...correlationMemo()`.
 */
export function correlationMemo(): { memo?: Record<string, string> } {
  const id = currentCorrelationId();
  return id ? { memo: { [CORRELATION_MEMO_KEY]: id } } : {};
}
