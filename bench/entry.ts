// What the benchmarks load: core and the Node-side loader, as the adapters bundle them.
export * from '../packages/core/src/index';
export { loadPolicyFile, loadPolicy, feedCacheFiles } from '../packages/loader/src/index';
