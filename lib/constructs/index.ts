export * from './pull-secret';
export * from './token-refresher';
export * from './dashboard-service';
export * from './dashboard-v1';
export * from './dashboard-v2';
export * from './dashboard-admin';
export * from './labels';
