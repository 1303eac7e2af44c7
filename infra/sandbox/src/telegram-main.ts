import { closeOnSignals, createLogger } from '@quickcart/kit';
import { limitsOf, loadTelegramSandboxConfig } from './telegram/config';
import { startTelegramSandbox } from './telegram/sandbox';

/** `node infra/sandbox/dist/telegram-main.js`: the Telegram Bot API stand-in, with a chat page at `/`. */
async function main(): Promise<void> {
  const config = loadTelegramSandboxConfig();
  const logger = createLogger('telegram-sandbox', config.LOG_LEVEL);
  const sandbox = await startTelegramSandbox({
    port: config.TELEGRAM_SANDBOX_PORT,
    token: config.TELEGRAM_SANDBOX_TOKEN,
    limits: limitsOf(config),
    logger,
  });
  // The token is a secret; say only whether one is required.
  logger.info('telegram sandbox ready', {
    apiRoot: sandbox.apiRoot,
    chatPage: `${sandbox.url}/`,
    tokenRequired: config.TELEGRAM_SANDBOX_TOKEN !== undefined,
    limits: sandbox.limits(),
  });
  closeOnSignals(sandbox.close, logger);
}

main().catch((error: Error) => {
  createLogger('telegram-sandbox').error('failed to start', { message: error.message });
  process.exit(1);
});
