import { Connection, type ConnectionOptions } from '@temporalio/client';

/** One readiness call may wait this long for Temporal's answer. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Orders' readiness check of Temporal (docs/operations.md §17): a connection of its own, made on the
 * first check, asks the server for its system info. Apart from ShopWorkflows' connection, so the
 * payment starts stay as they are; a small gRPC channel and one call per check.
 */
export function temporalReadiness(options: ConnectionOptions): {
  check: () => Promise<void>;
  close: () => Promise<void>;
} {
  let connection: Promise<Connection> | undefined;
  return {
    check: async () => {
      connection ??= Connection.connect(options).catch((error: unknown) => {
        connection = undefined; // the next check connects again
        throw error;
      });
      const c = await connection;
      await c.withDeadline(Date.now() + PING_TIMEOUT_MS, () => c.workflowService.getSystemInfo({}));
    },
    close: async () => {
      const c = await connection?.catch(() => undefined);
      await c?.close();
    },
  };
}
