import { compileOsvRecord, OsvIndex } from './osv';

/**
 * Well-known malicious releases, refused even with no policy file. Each record is a compact
 * OSV record whose id is the public OSSF malicious-packages id (MAL-…) or, where the OSSF
 * database holds no record, the GitHub advisory (GHSA-…); the other public ids are aliases.
 * Only the compromised releases are listed: the legitimate releases of hijacked packages
 * (chalk, debug, nx, …) must stay installable.
 *
 * Every id and version below was checked against the public record named in the comment
 * above it (ossf/malicious-packages `osv/malicious/npm/<name>/<id>.json`, the GitHub advisory,
 * or the maintainer's issue). Compiled once per process.
 */

/** One compact record: one package, its compromised versions (or all of them). */
function record(id: string, aliases: string[], name: string, versions: string[] | 'all', summary: string): unknown {
  return {
    id,
    aliases,
    summary,
    affected: [
      versions === 'all'
        ? { package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }
        : { package: { ecosystem: 'npm', name }, versions },
    ],
  };
}

const qix = (id: string, ghsa: string[], name: string, version: string) =>
  record(id, ghsa, name, [version], `${name} ${version} was published from a phished maintainer account (Sept. 2025) with a crypto-wallet-stealing payload`);

const RECORDS: readonly unknown[] = [
  // --- 2018: event-stream / flatmap-stream -------------------------------------------------
  // GHSA-mh6f-8j2x-4483 (github/advisory-database, github-reviewed/2018/11): event-stream 3.3.6
  // (range introduced 3.3.6, fixed 4.0.0; versions [3.3.6]) and flatmap-stream, introduced "0";
  // https://github.com/dominictarr/event-stream/issues/116. OSSF: flatmap-stream/MAL-2025-20690.json.
  record('GHSA-mh6f-8j2x-4483', [], 'event-stream', ['3.3.6'], 'event-stream 3.3.6 depends on the malicious flatmap-stream (bitcoin-wallet stealer)'),
  record('MAL-2025-20690', ['GHSA-mh6f-8j2x-4483'], 'flatmap-stream', 'all', 'flatmap-stream: malicious package (event-stream incident, 2018)'),

  // --- 2021: ua-parser-js, coa, rc -----------------------------------------------------------
  // GHSA-pjwm-rvh2-c87w (github-reviewed/2021/10): 0.7.29, 0.8.0, 1.0.0 (fixed 0.7.30, 0.8.1,
  // 1.0.1); CVE-2021-4229 per https://github.com/github/advisory-database/pull/6912;
  // https://github.com/faisalman/ua-parser-js/issues/536.
  record('GHSA-pjwm-rvh2-c87w', ['CVE-2021-4229'], 'ua-parser-js', ['0.7.29', '0.8.0', '1.0.0'], 'ua-parser-js hijacked: cryptominer and password stealer'),
  // GHSA-73qr-pfmq-6rp8 (github-reviewed/2021/11): 2.0.3, 2.0.4, 2.1.1, 2.1.3, 3.0.1, 3.1.3
  // ("downgrade to 2.0.2"); https://github.com/veged/coa/issues/99.
  record('GHSA-73qr-pfmq-6rp8', [], 'coa', ['2.0.3', '2.0.4', '2.1.1', '2.1.3', '3.0.1', '3.1.3'], 'coa hijacked: credential-stealing payload (Windows)'),
  // GHSA-g2q5-5433-rhrf (github-reviewed/2021/11): 1.2.9, 1.3.9, 2.3.9 ("downgrade to 1.2.8");
  // https://github.com/dominictarr/rc/issues/131.
  record('GHSA-g2q5-5433-rhrf', [], 'rc', ['1.2.9', '1.3.9', '2.3.9'], 'rc hijacked: same payload as the coa incident'),

  // --- July 2025: phished maintainer of eslint-config-prettier and related packages ----------
  // ossf/malicious-packages MAL-2025-6022 (versions 8.10.1, 9.1.1, 10.1.6, 10.1.7); GitHub advisory
  // GHSA-f29h-pxvx-f335 (https://github.com/github/advisory-database/pull/5838), CVE-2025-54313;
  // maintainer issue https://github.com/prettier/eslint-config-prettier/issues/339.
  record('MAL-2025-6022', ['GHSA-f29h-pxvx-f335', 'CVE-2025-54313'], 'eslint-config-prettier', ['8.10.1', '9.1.1', '10.1.6', '10.1.7'], 'eslint-config-prettier: install.js drops a Windows malware DLL (phished maintainer, July 2025)'),
  // ossf/malicious-packages MAL-2025-6023, MAL-2025-6026, MAL-2025-6021, MAL-2025-6025, MAL-2025-6024
  // (same campaign, same install.js / node-gyp.dll payload).
  record('MAL-2025-6023', [], 'eslint-plugin-prettier', ['4.2.2', '4.2.3'], 'eslint-plugin-prettier: same July 2025 phishing campaign'),
  record('MAL-2025-6026', [], 'synckit', ['0.11.9'], 'synckit: same July 2025 phishing campaign'),
  record('MAL-2025-6021', [], '@pkgr/core', ['0.2.8'], '@pkgr/core: same July 2025 phishing campaign'),
  record('MAL-2025-6025', [], 'napi-postinstall', ['0.3.1'], 'napi-postinstall: same July 2025 phishing campaign'),
  record('MAL-2025-6024', [], 'got-fetch', ['5.1.11', '5.1.12'], 'got-fetch: same July 2025 phishing campaign'),
  // ossf/malicious-packages MAL-2025-6020 (source google-open-source-security: "is" had unauthorized
  // new versions published via account compromise).
  record('MAL-2025-6020', [], 'is', ['3.3.1', '5.0.0'], 'is: unauthorized versions with obfuscated malicious code (account compromise, July 2025)'),

  // --- August 2025: nx "s1ngularity" ------------------------------------------------------------
  // GHSA-cxm3-wv7p-598c (CVE-2025-10894), https://github.com/nrwl/nx/security/advisories/GHSA-cxm3-wv7p-598c,
  // as carried in ossf/malicious-packages MAL-2025-41443 (nx) and MAL-2025-41436 (@nx/devkit):
  // nx 20.9.0-20.12.0 and 21.5.0-21.8.0; @nx/devkit, @nx/js, @nx/workspace, @nx/node 20.9.0 and
  // 21.5.0; @nx/eslint 21.5.0; @nx/key and @nx/enterprise-cloud 3.2.0.
  record('MAL-2025-41443', ['GHSA-cxm3-wv7p-598c', 'CVE-2025-10894'], 'nx', ['20.9.0', '20.10.0', '20.11.0', '20.12.0', '21.5.0', '21.6.0', '21.7.0', '21.8.0'], 'nx s1ngularity: postinstall steals credentials and publishes them to GitHub'),
  record('MAL-2025-41436', ['GHSA-cxm3-wv7p-598c'], '@nx/devkit', ['20.9.0', '21.5.0'], 'nx s1ngularity (@nx/devkit)'),
  record('GHSA-cxm3-wv7p-598c', ['MAL-2025-41439'], '@nx/js', ['20.9.0', '21.5.0'], 'nx s1ngularity (@nx/js)'),
  record('GHSA-cxm3-wv7p-598c', ['MAL-2025-41442'], '@nx/workspace', ['20.9.0', '21.5.0'], 'nx s1ngularity (@nx/workspace)'),
  record('GHSA-cxm3-wv7p-598c', ['MAL-2025-41441'], '@nx/node', ['20.9.0', '21.5.0'], 'nx s1ngularity (@nx/node)'),
  record('GHSA-cxm3-wv7p-598c', ['MAL-2025-41438'], '@nx/eslint', ['21.5.0'], 'nx s1ngularity (@nx/eslint)'),
  record('GHSA-cxm3-wv7p-598c', [], '@nx/key', ['3.2.0'], 'nx s1ngularity (@nx/key)'),
  record('GHSA-cxm3-wv7p-598c', ['MAL-2025-41437'], '@nx/enterprise-cloud', ['3.2.0'], 'nx s1ngularity (@nx/enterprise-cloud)'),

  // --- September 2025: chalk / debug (phished maintainer "qix") ------------------------------
  // ossf/malicious-packages osv/malicious/npm/<name>/MAL-2025-469xx.json, each imported from the
  // GitHub malware advisory in its aliases; https://github.com/chalk/chalk/issues/656 and
  // https://github.com/debug-js/debug/issues/1005.
  qix('MAL-2025-46974', ['GHSA-8mgj-vmr8-frr6', 'GHSA-4x49-vf9v-38px'], 'debug', '4.4.2'),
  qix('MAL-2025-46969', ['GHSA-2v46-p5h4-248w'], 'chalk', '5.6.1'),
  qix('MAL-2025-46967', ['GHSA-p5rr-crjh-x7gr'], 'ansi-styles', '6.2.2'),
  qix('MAL-2025-46980', ['GHSA-vfjc-p7x3-q864'], 'strip-ansi', '7.1.1'),
  qix('MAL-2025-46966', ['GHSA-jvhh-2m83-6w29'], 'ansi-regex', '6.2.1'),
  qix('MAL-2025-46981', ['GHSA-pj3j-3w3f-j752'], 'supports-color', '10.2.1'),
  qix('MAL-2025-46983', ['GHSA-2rv4-jp6r-xgq7'], 'wrap-ansi', '9.0.1'),
  qix('MAL-2025-46971', ['GHSA-ch7m-m9rf-8gvv'], 'color-convert', '3.1.1'),
  qix('MAL-2025-46972', ['GHSA-m99c-cfww-cxqx', 'GHSA-5fvm-p68v-5wmh'], 'color-name', '2.0.1'),
  qix('MAL-2025-46977', ['GHSA-hfm8-9jrf-7g9w', 'GHSA-frh7-2f84-v9mw'], 'is-arrayish', '0.3.3'),
  qix('MAL-2025-46979', ['GHSA-9xjj-cmqc-578p'], 'slice-ansi', '7.1.1'),
  qix('MAL-2025-46985', ['GHSA-j8fv-6x8p-p766', 'GHSA-qrmh-qg46-72pp'], 'color', '5.0.1'),
  qix('MAL-2025-46973', ['GHSA-3q87-f72r-3gm6'], 'color-string', '2.1.1'),
  qix('MAL-2025-46978', ['GHSA-wwpx-h6g5-c7x6'], 'simple-swizzle', '0.2.3'),
  qix('MAL-2025-46982', ['GHSA-hggr-35mp-qcxg'], 'supports-hyperlinks', '4.1.1'),
  qix('MAL-2025-46976', ['GHSA-jff9-gjh4-j359'], 'has-ansi', '6.0.1'),
  qix('MAL-2025-46970', ['GHSA-3jjr-pvq7-4jq5'], 'chalk-template', '1.1.1'),
  qix('MAL-2025-46968', ['GHSA-m2xf-jp99-f298'], 'backslash', '0.2.1'),
  qix('MAL-2025-46975', ['GHSA-5g7q-qh7p-jjvm'], 'error-ex', '1.3.3'),
];

/** The records behind the built-in list (for tests and `explain`). */
export function builtinRecords(): readonly unknown[] {
  return RECORDS;
}

let cached: OsvIndex | undefined;
export function builtinAdvisories(): OsvIndex {
  cached ??= new OsvIndex(RECORDS.flatMap((r) => compileOsvRecord(r, 'built-in')));
  return cached;
}
