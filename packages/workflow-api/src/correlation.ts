/**
 * A payment's correlation id (docs/operations.md §17) travels with its workflow: orders puts the id of
 * the request that started it in the workflow's memo under this key, and the worker's interceptors
 * hand it to every activity in this header, so the activity's log lines and calls carry it.
 */
export const CORRELATION_MEMO_KEY = 'correlationId';
export const CORRELATION_ACTIVITY_HEADER = 'correlation-id';
