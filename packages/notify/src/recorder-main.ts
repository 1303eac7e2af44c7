import { closeOnSignals, createLogger, env, loadConfig } from '@quickcart/kit';
import { z } from 'zod';
import { startNotifyRecorder } from './recorder';

/**
 * A stand-in for the gateway's /notify while the system runs without the bot: it answers the contract
 * and logs which template went to which chat (never the data: it may hold stock contents).
 */
async function main(): Promise<void> {
  const config = loadConfig(z.object({ NOTIFY_RECORDER_PORT: env.port(4003) }));
  const logger = createLogger('notify-recorder');
  const recorder = await startNotifyRecorder({
    port: config.NOTIFY_RECORDER_PORT,
    onNotify: (r) => logger.info('notify', r),
  });
  logger.info('listening', { url: recorder.url });
  closeOnSignals(recorder.close, logger);
}

main().catch((error: Error) => {
  createLogger('notify-recorder').error('failed to start', { message: error.message });
  process.exit(1);
});
