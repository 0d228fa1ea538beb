/**
 * Plugin order. Lifeguard enforces through three Yarn methods it replaces (Project.prototype.fetchEverything,
 * MultiFetcher.prototype.fetch, Project.prototype.getDependencyMeta). A plugin loaded after it that assigns
 * its own version of one would win: refusals skipped or every build approved, while Lifeguard's summary still says
 * "not run". So the methods are installed as non-configurable accessors: a later assignment does
 * not take effect, is recorded with the file that made it (from the call stack), and every install
 * that meets the record fails, at its start, in the fetch step and before any build script.
 */

export interface Tamper {
  /** `Project.prototype.getDependencyMeta`, `Project.prototype.fetchEverything` or `MultiFetcher.prototype.fetch`. */
  readonly method: string;
  /** The file that tried (a plugin under .yarn/plugins, a YARN_PLUGINS path), or undefined. */
  readonly file: string | undefined;
}

const tampers: Tamper[] = [];

/** The first stack frame outside this bundle: who assigned. */
function callerFile(stack: string | undefined, ownFile: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1]!.replace(/^file:\/\//, '');
    if (file !== ownFile) return file;
  }
  return undefined;
}

let ownFile: string | undefined;

/**
 * Installs `wrapper` as `proto[key]` so that it cannot be replaced: assignments are recorded as
 * tampering (and ignored), `Object.defineProperty` throws in the plugin that tries it.
 */
export function guardMethod(proto: object, key: string, label: string, wrapper: (...args: never[]) => unknown): void {
  ownFile ??= callerFile(new Error().stack, undefined);
  Object.defineProperty(proto, key, {
    configurable: false,
    enumerable: false,
    get: () => wrapper,
    set(_replacement: unknown) {
      tampers.push({ method: label, file: callerFile(new Error().stack, ownFile) });
    },
  });
}

/**
 * A per-project replacement (an own `getDependencyMeta` on the Project object shadows the
 * prototype's) counts too.
 */
export function tamperedProject(project: object): Tamper | undefined {
  if (Object.hasOwn(project, 'getDependencyMeta')) return { method: 'getDependencyMeta on the Project object', file: undefined };
  return undefined;
}

/** The refusal message when another plugin re-patched Lifeguard's methods, or undefined. */
export function tamperMessage(project?: object): string | undefined {
  const found = [...tampers, ...(project ? [tamperedProject(project)].filter((t): t is Tamper => t !== undefined) : [])];
  if (found.length === 0) return undefined;
  const what = found.map((t) => `${t.method}${t.file ? ` (replaced by ${t.file})` : ''}`);
  const files = [...new Set(found.map((t) => t.file).filter((f): f is string => f !== undefined))];
  return (
    `Lifeguard: another Yarn plugin replaces the methods Lifeguard enforces through: ${[...new Set(what)].join('; ')}. ` +
    'With it loaded, refusals and the script gate would not be Lifeguard\'s, and its summary would not be true, so nothing is installed. ' +
    `Remove that plugin (${files.length ? files.join(', ') : 'the plugins listed after Lifeguard in .yarnrc.yml or YARN_PLUGINS'}) or load it before Lifeguard.`
  );
}
