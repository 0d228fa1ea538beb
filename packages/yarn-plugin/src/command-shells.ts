import type { CommandContext, YarnRequire } from './yarn';

interface ClipanionOption {
  Boolean(name: string, def: boolean, opts?: { description?: string }): boolean;
  String(opts?: { required?: boolean; name?: string }): string;
  String(name: string, def: string, opts?: { description?: string }): string;
  String(name: string, opts: { required: false; description?: string }): string | undefined;
}

/** What the commands run, in the engine (loaded when a command runs). */
export interface CommandRuns {
  runCheck(ctx: CommandContext, opts: { format: string; json: boolean; output: string | undefined }): Promise<number>;
  runExplain(ctx: CommandContext, spec: string): Promise<number>;
}

/** Yarn registers commands when it loads the plugin: their declarations are here, their work in the engine. */
export function makeCommands(req: YarnRequire, runs: () => CommandRuns): unknown[] {
  const { BaseCommand } = req('@yarnpkg/cli') as { BaseCommand: new () => { context: CommandContext } };
  const { Option, Command } = req('clipanion') as { Option: ClipanionOption; Command: { Usage(u: Record<string, unknown>): unknown } };

  class CheckCommand extends BaseCommand {
    static paths = [['lifeguard', 'check']];
    static usage = Command.Usage({
      category: 'Lifeguard',
      description: 'evaluate every package of the lockfile against lifeguard.json',
      details:
        'Reads each package the lockfile lists (from the cache, fetching what is missing) and prints every finding, as `lifeguard check` does: text, JSON or SARIF 2.1.0. ' +
        'Exit 0: nothing refused; 1: something would be refused; 2: policy or usage error.',
    });
    format = Option.String('--format', 'text', { description: 'text, json or sarif' });
    json = Option.Boolean('--json', false, { description: 'the same as --format json' });
    output = Option.String('--output', { required: false, description: 'write the report to this file instead of stdout' });

    async execute(): Promise<number> {
      return runs().runCheck(this.context, { format: this.format, json: this.json, output: this.output });
    }
  }

  class ExplainCommand extends BaseCommand {
    static paths = [['lifeguard', 'explain']];
    static usage = Command.Usage({
      category: 'Lifeguard',
      description: 'show every rule of lifeguard.json that applies to a package',
      examples: [['Explain one package', 'yarn lifeguard explain esbuild@0.25.0']],
    });
    spec = Option.String({ name: 'package' });

    async execute(): Promise<number> {
      return runs().runExplain(this.context, this.spec);
    }
  }

  return [CheckCommand, ExplainCommand];
}
