/**
 * The few pieces of Yarn 4's API the plugin touches, typed locally: `@yarnpkg/core` and
 * `@yarnpkg/cli` are provided by Yarn at run time (the `require` passed to the plugin factory),
 * and their full type packages would pull Yarn's whole dependency tree into the workspace.
 */

export interface Ident {
  readonly identHash: string;
  readonly scope: string | null;
  readonly name: string;
}
export interface Descriptor extends Ident {
  readonly descriptorHash: string;
  readonly range: string;
}
export interface Locator extends Ident {
  readonly locatorHash: string;
  readonly reference: string;
}
export interface Package extends Locator {
  readonly version: string | null;
  readonly linkType: 'HARD' | 'SOFT';
  readonly dependencies: Map<string, Descriptor>;
}

export interface FakeFS {
  readFilePromise(p: string, encoding: 'utf8'): Promise<string>;
  existsSync(p: string): boolean;
}

export interface FetchResult {
  packageFs: FakeFS;
  prefixPath: string;
  checksum?: string | null;
  releaseFs?: () => void;
}

export interface Report {
  reportInfo(name: number | null, text: string): void;
  reportWarning(name: number, text: string): void;
  reportWarningOnce(name: number, text: string, opts?: { key?: unknown }): void;
  reportError(name: number, text: string): void;
  reportExceptionOnce(error: Error): void;
  hasErrors(): boolean;
}

export interface FetchOptions {
  project: Project;
  report: Report;
  [key: string]: unknown;
}

export interface FetchEverythingOptions {
  cache: unknown;
  report: Report;
  fetcher?: unknown;
  mode?: unknown;
  persistProject?: boolean;
}

export type FetchMethod = (locator: Locator, opts: FetchOptions) => Promise<FetchResult>;

export interface Configuration {
  readonly projectCwd: string | null;
  get(key: string): unknown;
  useWithSource(source: string, data: Record<string, unknown>, folder: string, opts?: { overwrite?: boolean }): void;
}

export interface Workspace {
  readonly cwd: string;
}

export interface Project {
  readonly cwd: string;
  readonly configuration: Configuration;
  readonly topLevelWorkspace: Workspace;
  readonly workspaces: Workspace[];
  readonly storedPackages: Map<string, Package>;
  readonly storedResolutions: Map<string, string>;
  readonly storedDescriptors: Map<string, Descriptor>;
  /** Archive checksum per locator hash, from yarn.lock or an earlier fetch. */
  readonly storedChecksums: Map<string, string>;
  readonly originalPackages: Map<string, Package>;
  /** Packages for another system (os/cpu/libc): Yarn does not fetch them, its cache hands out an empty mock. */
  readonly disabledLocators: Set<string>;
  tryWorkspaceByIdent(ident: Ident): Workspace | null;
  tryWorkspaceByLocator(locator: Locator): Workspace | null;
  getDependencyMeta(ident: Ident, version: string | null): DependencyMeta;
  fetchEverything(opts: FetchEverythingOptions): Promise<void>;
  restoreInstallState(opts?: Record<string, unknown>): Promise<void>;
}

export interface DependencyMeta {
  built?: boolean;
  optional?: boolean;
  unplugged?: boolean;
}

export interface StructUtils {
  stringifyIdent(ident: Ident): string;
  prettyLocator(configuration: Configuration, locator: Locator): string;
  isVirtualLocator(locator: Locator): boolean;
  devirtualizeLocator(locator: Locator): Locator;
  parseLocator(s: string, strict?: boolean): Locator;
  parseRange(range: string): { protocol: string | null; source: string | null; selector: string; params: Record<string, unknown> | null };
}

export interface YarnCore {
  MultiFetcher: { prototype: { fetch: FetchMethod } };
  Project: {
    prototype: Project;
    find(configuration: Configuration, cwd: string): Promise<{ project: Project; workspace: Workspace | null }>;
  };
  Configuration: { find(cwd: string, plugins: unknown): Promise<Configuration> };
  Cache: { find(configuration: Configuration): Promise<unknown> };
  StreamReport: {
    start(opts: { configuration: Configuration; stdout: NodeJS.WritableStream; includeFooter?: boolean; json?: boolean }, cb: (report: Report) => Promise<void>): Promise<{ exitCode(): number; hasErrors(): boolean }>;
  };
  ReportError: new (code: number, message: string) => Error;
  MessageName: Record<string, number>;
  structUtils: StructUtils;
  YarnVersion: string | null;
}

export interface CommandContext {
  cwd: string;
  plugins: unknown;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Yarn's factory `require`: Node builtins and the modules Yarn exposes to plugins. */
export type YarnRequire = (id: string) => unknown;
