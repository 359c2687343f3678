export { stateless, type AdView } from './stateless.js';
