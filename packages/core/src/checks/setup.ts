import type { Policy } from '../policy/policy';
import type { Finding } from '../types';

/** One project setting that switches Lifeguard off or routes the install around it. */
export interface SetupProblem {
  /** The file that holds the setting, relative to the project (`pnpm-workspace.yaml`, `.npmrc`, ...). */
  readonly file: string;
  /** The setting as written (`ignorePnpmfile: true`) or what is missing. */
  readonly setting: string;
  /** What the setting does to enforcement. */
  readonly effect: string;
  /** The change that restores it. */
  readonly fix: string;
}

/**
 * Set-up checks (`lifeguard check` with a lifeguard.json): a hook that is not loaded enforces
 * nothing, and an install with it off leaves no trace in the lockfile but these settings. A refusal
 * (a warning in warn mode), located at the file; the version is empty (there is none).
 */
export function setupFinding(policy: Policy, p: SetupProblem): Finding {
  return {
    code: 'LIFEGUARD_SETUP',
    action: policy.mode === 'warn' ? 'warn' : 'refuse',
    severity: 'high',
    package: p.file,
    version: '',
    message: `${p.file}: ${p.setting}: ${p.effect}`,
    fix: p.fix,
    rule: 'setup',
    details: { file: p.file, setting: p.setting },
  };
}
