/** The live dashboard's page and the messages it reads (`streamarena run --ui`, `sweep --ui`). */
export { renderLivePage, type LivePage } from './live-page.js';
export { livePlan } from './live-plan.js';
export {
  LIVE_SAMPLES_KEPT,
  type LiveDaemon,
  type LiveEvent,
  type LiveFaultMark,
  type LiveMessage,
  type LivePlan,
  type LiveRunInfo,
  type LiveSnapshot,
  type LiveTick,
  type LiveTrialEnd,
  type LiveTrialInfo,
  type LiveVertex,
  type VertexState,
} from './live-stream.js';
