import { closeOnSignals, createLogger } from '@quickcart/kit';
import { loadSandboxConfig } from './config';
import { startPakasirSandbox } from './sandbox';

/** `node infra/sandbox/dist/pakasir-main.js`: the Pakasir stand-in `npm start` runs without a real one. */
async function main(): Promise<void> {
  const config = loadSandboxConfig();
  const logger = createLogger('pakasir-sandbox', config.LOG_LEVEL);
  const sandbox = await startPakasirSandbox({
    port: config.PAKASIR_SANDBOX_PORT,
    projects: {
      [config.PAKASIR_PROJECT]: { apiKey: config.PAKASIR_API_KEY, webhookUrl: config.PAKASIR_WEBHOOK_URL },
    },
    expiryMinutes: config.PAKASIR_SANDBOX_EXPIRY_MINUTES,
    strictOrderIds: config.PAKASIR_SANDBOX_STRICT,
    logger,
  });
  // The key and webhook URL are secrets; say only whether a webhook is set.
  logger.info('pakasir sandbox ready', {
    url: sandbox.url,
    project: config.PAKASIR_PROJECT,
    webhook: config.PAKASIR_WEBHOOK_URL !== undefined,
  });
  closeOnSignals(sandbox.close, logger);
}

main().catch((error: Error) => {
  createLogger('pakasir-sandbox').error('failed to start', { message: error.message });
  process.exit(1);
});
