export { MeasuredSinks } from './sinks.js';
export { JsonlWriter } from './jsonl-writer.js';
export { LateRecordCounter } from './late-records.js';
export { Sampler } from './sampler.js';
export { InputWindow, type InputMeasurement } from './input-window.js';
