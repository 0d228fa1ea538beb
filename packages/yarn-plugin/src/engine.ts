/**
 * The engine: core, the loader and everything that judges. Compiled only when the entry
 * (index.ts) cannot answer from a remembered clean install; see build.mjs.
 */
export { fetch, fetchEverything, dependencyMeta, validateProject, afterAllInstalled } from './plugin';
export { runCheck, runExplain } from './commands';
