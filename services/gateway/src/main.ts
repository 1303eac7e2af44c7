import { runService } from '@quickcart/kit';
import { startGateway } from './app';
import { loadGatewayConfig } from './config';

runService('gateway', () => loadGatewayConfig(), startGateway);
