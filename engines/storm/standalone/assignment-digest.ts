/**
 * One line that identifies an assignment (each executor's slot, in order): every process rebuilds the
 * topology from the recipe and runs the same scheduler, and checks that it got Nimbus's assignment, as a
 * Storm worker reads its assignment from ZooKeeper rather than computing its own.
 */
import type { TopologyAssignment } from '../daemon/nimbus.js';

export function assignmentDigest(a: TopologyAssignment): string {
  const slotIndex = new Map(a.slots.map((s, i) => [s.id, i]));
  return a.executors.map((e) => `${e.id}@${slotIndex.get(a.executorSlot.get(e.id)!.id)}`).join(',');
}
