import { closeOnSignals, createLogger } from '@quickcart/kit';
import { startOrders } from './app';
import { loadOrdersConfig } from './config';

startOrders(loadOrdersConfig()).then(
  (orders) => closeOnSignals(orders.close, orders.logger),
  (error: Error) => {
    createLogger('orders').error('failed to start', { message: error.message });
    process.exit(1);
  },
);
