export { formatTable } from './table.js';
export { formatMarkdown } from './markdown.js';
export { formatJson } from './json.js';
export { formatGithubBenchmark, githubBenchmarkEntries, type GithubBenchmarkEntry, type GithubBenchmarkTool } from './github-benchmark.js';
export { formatInterval, formatP, formatValue, formatVerdict, shownP } from './cells.js';
