export { stateless, AD_TYPES, EVENT_TYPES, type AdEvent, type AdView } from './stateless.js';
