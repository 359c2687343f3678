export { EventLog, SEGMENT_SIZE } from './event-log.js';
export { OpenLoopDriver, type LoadPlan } from './open-loop-driver.js';
export { generatedEvents, recordedEvents, type EventSource } from './event-source.js';
export { readInputFile, type LineParser } from './input-file.js';
export {
  connectSocketInput,
  formatSocketAddress,
  parseSocketInput,
  SocketDriver,
  workloadLineParser,
  type SocketAddress,
  type SocketLineParser,
} from './socket-input.js';
