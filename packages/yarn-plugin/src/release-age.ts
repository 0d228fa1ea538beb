import type { Project } from './yarn';

export interface ReleaseAge {
  readonly minutes: number;
  /** `releaseAge.exclude` specs as written. */
  readonly exclude: readonly string[];
}

/**
 * `releaseAge.minimum` becomes Yarn's own gate (`npmMinimalAgeGate`, minutes) and `exclude` its
 * `npmPreapprovedPackages`; scope-level gates are removed so that no scope undercuts the policy.
 */
export function applyReleaseAge(project: Project, source: string, age: ReleaseAge): void {
  const cfg = project.configuration;
  const preapproved = (cfg.get('npmPreapprovedPackages') as string[] | undefined) ?? [];
  cfg.useWithSource(source, { npmMinimalAgeGate: `${age.minutes}m`, npmPreapprovedPackages: [...preapproved, ...age.exclude] }, project.cwd, { overwrite: true });
  const scopes = cfg.get('npmScopes');
  if (scopes instanceof Map) for (const scope of scopes.values()) if (scope instanceof Map) scope.delete('npmMinimalAgeGate');
}
