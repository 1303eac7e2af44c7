import { runService } from '@quickcart/kit';
import { startOrders } from './app';
import { loadOrdersConfig } from './config';

runService('orders', () => loadOrdersConfig(), startOrders);
