import { runService } from '@quickcart/kit';
import { startCatalog } from './app';
import { loadCatalogConfig } from './config';

runService('catalog', () => loadCatalogConfig(), startCatalog);
