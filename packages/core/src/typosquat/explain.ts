import type { Policy } from '../policy/policy';
import { defaultTyposquatIndex } from './index';
import { DEFAULT_TUNING } from './tuning';
import { perMonth, popularitySnapshot } from './popularity';

/**
 * One sentence on what the typosquat rule makes of `name` under `policy`, and why: for
 * `lifeguard explain`, so that a spared or flagged name never needs guessing.
 */
export function explainTyposquat(policy: Policy, name: string): string {
  const { action, ignore } = policy.typosquat;
  if (action === 'off') return 'typosquat.action is "off"';
  if (ignore.has(name)) return 'listed in typosquat.ignore';
  if (policy.packages.trust.forName(name).length > 0) return 'trusted by packages.trust';
  const snap = popularitySnapshot();
  const e = defaultTyposquatIndex().explain(name);
  switch (e.kind) {
    case 'known':
      return 'a popular package (npm-high-impact or the most downloaded names): never a typosquat';
    case 'clean':
      return 'resembles no popular package';
    case 'established':
      return `spared: established, ${perMonth(e.downloads)} in the ${snap.month} snapshot (${snap.source}), though it resembles ${JSON.stringify(e.match.imitates)}: ${e.match.reason}`;
    case 'flagged': {
      const m = e.match;
      const verdict = action === 'warn' ? 'warned' : m.confidence === 'high' ? 'refused' : 'warned, and refused when it runs install scripts';
      const target = snap.targetDownloads(m.rank - 1);
      return `${verdict}: looks like ${JSON.stringify(m.imitates)}${target === undefined ? '' : ` (${perMonth(target)})`} by ${m.technique}, ${m.confidence} confidence: ${m.reason}; not established in the ${snap.month} snapshot (${m.technique === 'case' ? `a case variant needs ${perMonth(DEFAULT_TUNING.caseEstablishedMin)}` : `under ${perMonth(snap.floor)}, or absent`}). If it is the package you want: "typosquat": { "ignore": [${JSON.stringify(name)}] }`;
    }
  }
}
