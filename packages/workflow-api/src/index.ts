export * from './failure-types';
export * from './search-attributes';
export * from './workflow-api';
export * from './correlation';
