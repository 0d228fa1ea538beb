import { installLifecycle } from '../lifecycle';
import { perMonth, popularitySnapshot } from '../typosquat/popularity';
import { defaultTyposquatIndex } from '../typosquat/index';
import type { TyposquatMatch } from '../typosquat/types';
import { type Check, NO_FINDINGS, id, makeFinding, q } from './finding';

/**
 * Typosquats: a name made to be installed by mistake in place of a popular package. High
 * confidence refuses; medium (an extra word, a short name) warns unless the package also runs
 * install scripts, which is how such payloads execute (`plain-crypto-js`). The project's own code
 * (workspaces, packages from its own directories) is never resolved by name on a registry, so its
 * names cannot be mistaken for anything.
 */
export const typosquatCheck: Check = (facts, ctx) => {
  const { action, ignore } = ctx.policy.typosquat;
  if (action === 'off' || facts.workspace || facts.local || ignore.has(facts.name)) return NO_FINDINGS;
  if (ctx.policy.packages.trust.find(facts.name, facts.version)) return NO_FINDINGS;
  const match = defaultTyposquatIndex().check(facts.name);
  if (!match) return NO_FINDINGS;
  const scripts = match.confidence === 'medium' ? installLifecycle(facts) : [];
  const refuse = action === 'refuse' && (match.confidence === 'high' || scripts.length > 0);
  const w = wordingOf(facts.name, match);
  const medium = match.confidence === 'medium' ? (scripts.length > 0 ? `; a medium-confidence match, refused because it runs install scripts (${scripts.join(', ')})` : '; a medium-confidence match') : '';
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_TYPOSQUAT',
      action: refuse ? 'refuse' : 'warn',
      severity: match.confidence === 'high' ? 'high' : 'medium',
      rule: 'typosquat',
      message: `${id(facts)} looks like a typosquat of ${w.message}${medium}.`,
      fix: w.fix,
      details: { ...w.details },
    }),
  ];
};

/** What a typosquat finding says about a name and its match, whatever the version or the scripts. */
interface Wording {
  readonly match: TyposquatMatch;
  readonly message: string;
  readonly fix: string;
  readonly details: Readonly<Record<string, unknown>>;
}

// Built once per flagged name, not once per version or verdict: a lockfile lists many versions of
// the same look-alike. Bounded like the detector's remembered outcomes (emptied when full).
const wordings = new Map<string, Wording>();
const MAX_WORDINGS = 2048;

function wordingOf(name: string, match: TyposquatMatch): Wording {
  let w = wordings.get(name);
  if (w?.match === match) return w;
  if (wordings.size >= MAX_WORDINGS) wordings.clear();
  const snap = popularitySnapshot();
  const targetDownloads = snap.targetDownloads(match.rank - 1);
  // Flagged names are below the floor by construction: they are either absent or rare.
  const downloads = snap.established(name);
  const popularity = targetDownloads === undefined ? `rank ${match.rank} on npm-high-impact` : `${perMonth(targetDownloads)} in the ${snap.month} snapshot`;
  const own = downloads === undefined ? `${q(name)} is not among the established names of that snapshot` : `${q(name)} has ${perMonth(downloads)}`;
  w = {
    match,
    message: `the popular package ${q(match.imitates)} (${popularity}): ${match.reason}; ${own}`,
    fix: `if you meant ${q(match.imitates)}, depend on it instead; if ${q(name)} is really the package you want, add it to "typosquat.ignore" in lifeguard.json: "typosquat": { "ignore": [${q(name)}] }`,
    details: {
      imitates: match.imitates,
      technique: match.technique,
      confidence: match.confidence,
      rank: match.rank,
      reason: match.reason,
      ...(downloads === undefined ? {} : { downloads }),
      ...(targetDownloads === undefined ? {} : { targetDownloads }),
      snapshot: snap.month,
    },
  };
  wordings.set(name, w);
  return w;
}
