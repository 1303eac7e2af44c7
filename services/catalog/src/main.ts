import { closeOnSignals, createLogger } from '@quickcart/kit';
import { startCatalog } from './app';
import { loadCatalogConfig } from './config';

startCatalog(loadCatalogConfig()).then(
  (catalog) => closeOnSignals(catalog.close, catalog.logger),
  (error: Error) => {
    createLogger('catalog').error('failed to start', { message: error.message });
    process.exit(1);
  },
);
