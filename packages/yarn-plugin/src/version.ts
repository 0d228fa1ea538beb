/** The Yarn release whose internals this plugin was verified against. */
export const TESTED_YARN = '4.18.1';
