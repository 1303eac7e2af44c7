import { closeOnSignals, createLogger } from '@quickcart/kit';
import { startGateway } from './app';
import { loadGatewayConfig } from './config';

startGateway(loadGatewayConfig()).then(
  (gateway) => closeOnSignals(gateway.close, gateway.logger),
  (error: Error) => {
    createLogger('gateway').error('failed to start', { message: error.message });
    process.exit(1);
  },
);
