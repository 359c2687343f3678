export { SeededRandom } from './seeded-random.js';
export { ZipfDistribution } from './zipf.js';
