export * from './errors';
export * from './schema';
export * from './resolve';
export * from './load';
export * from './images';
export * from './default-config';
export { cronProblem, longestGapMinutes } from './cron';
export * from './refresh-plan';
export * from './jcrkit-object';
