/**
 * The cluster's supervisors and their worker slots, as Nimbus sees them (`SupervisorInfo`): one
 * supervisor per node, `supervisor.slots.ports` slots each.
 */
import type { StormConfig } from '../config.js';

/** A worker slot: one port of one supervisor (`WorkerSlot`). */
export interface WorkerSlot {
  readonly supervisor: string;
  readonly node: string;
  readonly port: number;
  /** `node:port` */
  readonly id: string;
}

export interface SupervisorInfo {
  readonly id: string;
  readonly node: string;
  readonly slots: readonly WorkerSlot[];
}

/** The simulated cluster: `storm.supervisors` supervisors of `storm.slotsPerSupervisor` slots. */
export function clusterSupervisors(config: StormConfig): SupervisorInfo[] {
  return Array.from({ length: config.supervisors }, (_, i) => {
    const id = `supervisor-${i + 1}`;
    const node = `node-${i + 1}`;
    const slots = Array.from({ length: config.slotsPerSupervisor }, (_, j) => {
      const port = config.basePort + j;
      return { supervisor: id, node, port, id: `${node}:${port}` };
    });
    return { id, node, slots };
  });
}
