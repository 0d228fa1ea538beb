import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, policyPath, userPolicyPath } from './index';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'lg-policy-path-'));
  const project = join(root, 'project');
  const config = join(root, 'config');
  mkdirSync(project);
  mkdirSync(join(config, 'lifeguard'), { recursive: true });
  return { root, project, config, user: join(config, 'lifeguard', 'lifeguard.json') };
}

describe('policyPath: project, then the user-level policy', () => {
  it('finds the user-level policy under XDG_CONFIG_HOME, else HOME/.config', () => {
    expect(userPolicyPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/h' })).toBe('/x/cfg/lifeguard/lifeguard.json');
    expect(userPolicyPath({ HOME: '/h' })).toBe('/h/.config/lifeguard/lifeguard.json');
    expect(userPolicyPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/lifeguard/lifeguard.json');
    expect(userPolicyPath({})).toBeUndefined();
  });

  it('applies the user policy only where the project has none, and LIFEGUARD_POLICY before both', () => {
    const { project, config, user } = setup();
    const env = { XDG_CONFIG_HOME: config };
    expect(policyPath(project, env).file).toBe(join(project, 'lifeguard.json')); // neither: the default applies
    writeFileSync(user, JSON.stringify({ packages: { deny: ['left-pad'] } }));
    expect(policyPath(project, env)).toEqual({ file: user, override: false });
    expect(loadPolicy(project, env).policy.packages.deny.size).toBe(1);
    writeFileSync(join(project, 'lifeguard.json'), '{}');
    expect(policyPath(project, env).file).toBe(join(project, 'lifeguard.json'));
    expect(policyPath(project, { ...env, LIFEGUARD_POLICY: '/abs/p.json' })).toEqual({ file: '/abs/p.json', override: true });
  });

  it('never skips a project policy that is there but unreadable (a dangling link)', () => {
    const { root, project, config, user } = setup();
    writeFileSync(user, '{}');
    symlinkSync(join(root, 'missing.json'), join(project, 'lifeguard.json'));
    expect(policyPath(project, { XDG_CONFIG_HOME: config }).file).toBe(join(project, 'lifeguard.json'));
  });
});
