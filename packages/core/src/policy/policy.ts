import type { AdvisoryIndex } from '../advisories/types';
import type { SpecList } from './spec';

export type Mode = 'enforce' | 'warn';

/** A validated, compiled lifeguard.json. Built by `compilePolicy`; never mutated. */
export interface Policy {
  /** The file it came from, or `(built-in default)`. */
  readonly file: string;
  readonly isDefault: boolean;
  readonly mode: Mode;
  readonly scripts: {
    readonly unapproved: 'skip' | 'refuse' | 'run';
    readonly allow: SpecList;
    readonly deny: SpecList;
  };
  readonly packages: { readonly deny: SpecList; readonly trust: SpecList };
  readonly typosquat: { readonly action: 'refuse' | 'warn' | 'off'; readonly ignore: ReadonlySet<string> };
  readonly sources: {
    readonly exotic: 'refuse' | 'warn' | 'off';
    readonly allow: readonly { readonly raw: string; matches(spec: string): boolean }[];
  };
  readonly advisories: {
    readonly action: 'refuse' | 'warn';
    /** Feed paths as written, relative to the policy file (the loader reads them). */
    readonly feeds: readonly string[];
    /** Built-in list plus every feed. */
    readonly index: AdvisoryIndex;
  };
  readonly releaseAge: { readonly minutes: number; readonly exclude: SpecList } | undefined;
}
