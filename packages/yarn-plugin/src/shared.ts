import type { Project, YarnCore } from './yarn';

/**
 * What the entry and the engine share (Yarn runs the plugin factory twice per command, and the
 * engine is compiled apart from the entry): one object on globalThis under one symbol.
 */
export interface Shared {
  core: YarnCore;
  /** Why enforcement is impossible on this Yarn, or null. */
  broken: string | null;
  /** The engine's per-project state (ProjectState, see plugin.ts). */
  states: WeakMap<Project, unknown>;
  /** The entry's tamper record (guard.ts): the engine must read the one the guarded setters write. */
  tamperMessage(project?: object): string | undefined;
}

const KEY = Symbol.for('lifeguard.yarn-plugin');

export function shared(): Shared {
  const s = (globalThis as Record<symbol, Shared | undefined>)[KEY];
  if (!s) throw new Error('Lifeguard: plugin not initialised');
  return s;
}

export const hasShared = (): boolean => (globalThis as Record<symbol, unknown>)[KEY] !== undefined;

export function initShared(s: Shared): Shared {
  const g = globalThis as Record<symbol, Shared | undefined>;
  return (g[KEY] ??= s);
}

export const tamperMessage = (project?: object): string | undefined => shared().tamperMessage(project);
