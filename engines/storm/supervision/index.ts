export { SupervisedTopology, stormFaults, type StormRelaunchStats, type StormSupervisionStats } from './supervised-topology.js';
export { supervisionOptions, supervisorMonitorFrequency } from './supervision-options.js';
