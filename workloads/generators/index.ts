/** The seeded PRNG is the API's (engines/api), shared with the reports' bootstrap: re-exported as the generators' toolkit. */
export { SeededRandom } from '../../engines/api/index.js';
export { ZipfDistribution } from './zipf.js';
