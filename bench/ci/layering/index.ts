export { importGraph, importsOf, sourceFiles, withoutComments, type ImportEdge } from './import-graph.js';
export { countsByTopFolder, layerOf, LAYERED_FOLDERS, violation, violations } from './layers.js';
