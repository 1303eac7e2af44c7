export * from './search-attributes';
export * from './workflow-api';
