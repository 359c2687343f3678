/** The live dashboard's server side: `--ui` of run and sweep. */
export { Dashboard, uiPort } from './dashboard.js';
export { DEFAULT_UI_PORT, LIVE_HOST, LiveServer } from './live-server.js';
export { LiveRun } from './live-run.js';
export { daemonsOf } from './daemons.js';
export { VertexTracker } from './vertex-states.js';
