export {
  compiledDataflow,
  nodeStreams,
  peers,
  plainLoop,
  rxjs,
  type PeerRun,
  type WindowCount,
  type WordcountParams,
} from './wordcount-peers.js';
