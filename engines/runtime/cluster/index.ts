/**
 * The cluster runtime every engine's standalone deployment builds on: frames, the versioned control
 * channel, daemon processes and task threads that never outlive their parent, heartbeats and failure
 * detection, the data channel between threads and processes, one clock across processes, and the event
 * log and sinks served by the driver.
 */
export {
  FRAME_JSON,
  FRAME_BINARY,
  FRAME_HEADER_BYTES,
  MAX_FRAME_BYTES,
  FrameError,
  FrameDecoder,
  encodeFrame,
  encodeJsonFrame,
  type FrameType,
} from './frames.js';
export {
  CLUSTER_PROTOCOL,
  CLUSTER_PROTOCOL_VERSION,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  LOOPBACK,
  ControlChannel,
  WithBytes,
  ControlServer,
  connectControl,
  ProtocolVersionError,
  RequestTimeoutError,
  PeerClosedError,
  RemoteError,
  type ChannelOptions,
} from './control-channel.js';
export {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  HeartbeatSender,
  HeartbeatMonitor,
  type PeerHeartbeat,
} from './heartbeats.js';
export { Daemon, launchDaemon, liveDaemons, watchParent, PARENT_POLL_MS, type DaemonSpec, type DaemonExit } from './daemon-launcher.js';
export { TaskThread, type TaskThreadSpec } from './task-thread.js';
export {
  DATA_BUFFER,
  DATA_EVENT,
  DATA_CREDIT,
  DATA_BACKLOG,
  DATA_HEADER_BYTES,
  encodeDataFrame,
  decodeDataFrame,
  SocketDataLink,
  PortDataLink,
  onSocketData,
  onPortData,
  type DataKind,
  type DataMessage,
  type DataLink,
} from './data-channel.js';
export { ClusterClock, monotonicMs, epochOffsetOf } from './cluster-clock.js';
export {
  serveEventLog,
  RemoteEventLog,
  MAX_FETCH_ENTRIES,
  PREFETCH_ENTRIES,
  COMMIT_INTERVAL_MS,
  type LogMetadata,
  type FetchResponse,
} from './event-log-service.js';
export { serveSinks, onFirstRecord, RemoteSinkSet, SINK_BATCH_RECORDS } from './sink-service.js';
export { compiledEntry, packageRoot } from './compiled-entry.js';
export { processFigures, type ProcessFigures, type DaemonStatus } from './daemon-status.js';
export { isProcessAlive } from './process-table.js';
export { rebuildDataflow } from './rebuild-dataflow.js';
export { daemonArgs, numberArg } from './daemon-args.js';
export { DriverRun, EXIT_GRACE_MS } from './driver-run.js';
