export { referenceEngine, type ReferenceEngineStats } from './reference-engine.js';
export { compileDataflow, type CompiledDataflow } from './compile.js';
