import { isRebuilt, scriptApproval } from '../approval';
import { installLifecycle } from '../lifecycle';
import { assessScript, type RiskSignal } from '../risk/index';
import type { PackageFacts, Severity } from '../types';
import { type Check, NO_FINDINGS, id, makeFinding, q } from './finding';

/** A risk signal found in one lifecycle script. */
export interface ScriptRisk extends RiskSignal {
  /** The lifecycle script it was found in (`postinstall`, ...). */
  readonly script: string;
}

const BUILD_WORDS = { patch: 'patched', git: 'git', exec: 'exec: generated' } as const;

const ORDER: Record<Severity, number> = { critical: 3, high: 2, medium: 1, low: 0 };
const atLeast = (base: Severity, other: Severity | undefined): Severity => (other && ORDER[other] > ORDER[base] ? other : base);

/** Risk signals in the lifecycle scripts this package would run (text only; see risk/index.ts). */
export function scriptRisks(facts: PackageFacts, lifecycle: readonly string[]): ScriptRisk[] {
  const scripts = facts.scripts;
  if (!scripts) return [];
  const out: ScriptRisk[] = [];
  for (const script of lifecycle) {
    const body = Object.hasOwn(scripts, script) ? scripts[script] : undefined;
    if (typeof body !== 'string') continue;
    for (const signal of assessScript(body)) out.push({ ...signal, script });
  }
  return out.sort((a, b) => ORDER[b.severity] - ORDER[a.severity]);
}

/** " Risky: its postinstall downloads and runs a remote script (`curl … | sh`); also …" */
function riskWording(risks: readonly ScriptRisk[]): string {
  if (risks.length === 0) return '';
  const [first, ...rest] = risks;
  const also = rest.length === 0 ? '' : `; also ${rest.map((r) => `${r.script === first!.script ? '' : `its ${r.script} `}${r.description}`).join(', ')}`;
  return ` Risky: its ${first!.script} ${first!.description} (\`${first!.evidence}\`)${also}.`;
}

/**
 * Lifecycle scripts: install-time code execution is how worms like Shai-Hulud spread, so a
 * dependency's scripts run only when an allow entry approves that release. Risk signals in the
 * script text raise the severity and say what the script does; they never change the action.
 */
export const scriptsCheck: Check = (facts, ctx) => {
  const lifecycle = installLifecycle(facts);
  if (lifecycle.length === 0) return NO_FINDINGS;
  const approval = scriptApproval(ctx.policy, facts.name, facts.version, facts);
  if (approval.status === 'approved') return NO_FINDINGS;
  const what = lifecycle.join(', ');
  const risks = scriptRisks(facts, lifecycle);
  const worst = risks[0]?.severity;
  const risk = risks.length === 0 ? {} : { risk: risks };
  const review = risks.length === 0 ? '' : ' (only after reading what the script does)';
  if (approval.status === 'denied') {
    return [
      makeFinding(ctx, facts, {
        code: 'LIFEGUARD_SCRIPTS',
        action: 'skip-scripts',
        severity: atLeast('medium', worst),
        rule: 'scripts.deny',
        message: `${id(facts)} has install scripts (${what}) that scripts.deny entry ${q(approval.entry.raw)} forbids: not run.${riskWording(risks)}`,
        fix: `remove ${q(approval.entry.raw)} from "scripts.deny" in lifeguard.json${review}`,
        details: { lifecycle, entry: approval.entry.raw, ...risk },
      }),
    ];
  }
  const refuse = ctx.policy.scripts.unapproved === 'refuse';
  if (isRebuilt(facts)) {
    // The approval must name this build: a release approval says nothing about a patch or a checkout.
    const entry = { package: id(facts), source: facts.resolved ?? '' };
    const because = approval.release ? `; ${q(approval.release.raw)} approves the registry release only` : '';
    return [
      makeFinding(ctx, facts, {
        code: 'LIFEGUARD_SCRIPTS',
        action: refuse ? 'refuse' : 'skip-scripts',
        severity: atLeast('medium', worst),
        rule: 'scripts.unapproved',
        message: `${id(facts)} is a ${BUILD_WORDS[facts.source as keyof typeof BUILD_WORDS]} build (${facts.resolved ?? 'unknown source'}) with install scripts (${what}) that no scripts.allow entry naming that source approves${because}: ${refuse ? 'install refused' : 'not run'}.${riskWording(risks)}`,
        fix: `add ${JSON.stringify(entry)} to "scripts.allow" in lifeguard.json${review}`,
        details: { lifecycle, source: facts.resolved, ...(approval.release ? { release: approval.release.raw } : {}), ...risk },
      }),
    ];
  }
  return [
    makeFinding(ctx, facts, {
      code: 'LIFEGUARD_SCRIPTS',
      action: refuse ? 'refuse' : 'skip-scripts',
      severity: atLeast(refuse ? 'medium' : 'low', worst),
      rule: 'scripts.unapproved',
      message: `${id(facts)} has install scripts (${what}) that no scripts.allow entry approves: ${refuse ? 'install refused' : 'not run'}.${riskWording(risks)}`,
      fix: `add ${q(id(facts))} to "scripts.allow" in lifeguard.json${review}`,
      details: { lifecycle, ...risk },
    }),
  ];
};
