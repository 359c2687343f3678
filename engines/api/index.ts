export * from './records.js';
export * from './clock.js';
export * from './options.js';
export * from './windows.js';
export * from './aggregate.js';
export * from './dataflow.js';
export * from './event-log.js';
export * from './engine.js';
