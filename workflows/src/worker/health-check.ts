import { isHeartbeatFresh } from './heartbeat';

/**
 * The worker's container health check: exit 0 when the running worker touched WORKER_HEARTBEAT_FILE
 * recently, 1 otherwise (docker-compose.yml).
 */
const file = process.env.WORKER_HEARTBEAT_FILE;
if (!file) {
  console.error('WORKER_HEARTBEAT_FILE is not set');
  process.exit(1);
}
process.exit(isHeartbeatFresh(file) ? 0 : 1);
