export { sparkFaults } from './spark-faults.js';
export { TaskFailures, taskFailureOptions, taskMaxFailures, type TaskFailureStats } from './task-failures.js';
