export { EventLog, SEGMENT_SIZE } from './event-log.js';
export { OpenLoopDriver, type LoadPlan } from './open-loop-driver.js';
export { generatedEvents, recordedEvents, type EventSource } from './event-source.js';
export { readInputFile, type LineParser } from './input-file.js';
