import { parseArgs } from 'node:util';
import { PolicyError } from '@lifeguard/core';
import { check } from './commands/check';
import { explain } from './commands/explain';
import { exportPolicy } from './commands/export';
import { feeds } from './commands/feeds';
import { init } from './commands/init';
import { incident } from './commands/incident';
import { rebuild } from './commands/rebuild';
import { report } from './commands/report';
import { LockfileError } from './lockfiles/index';
import { UsageError } from './output';
import { VERSION } from './version';

const USAGE = `Usage: lifeguard <command> [options]

Commands:
  check    [--lockfile FILE] [--policy FILE] [--format text|json|sarif] [--output FILE] [--installed]
           Evaluate every package of each lockfile (pnpm-lock.yaml, yarn.lock, npm-shrinkwrap.json,
           package-lock.json or bun.lock) offline, and, with a lifeguard.json, the project's set-up; --installed also
           reads node_modules and the install state (which dependency scripts ran).
  init     [--pm pnpm|yarn|npm|bun] [--force] [--yes]
           Write lifeguard.json approving today's install scripts by exact version (and the project's own
           native approvals), and wire the package manager to Lifeguard.
           Dependencies that look like typosquats, and published packages' git/URL dependencies, are listed;
           --yes (or "y" at the prompt) keeps them (typosquat.ignore, sources.allow).
  explain  <name>[@version] [--policy FILE] [--lockfile FILE]
           Every rule that applies to a package, and why.
  rebuild  [--policy FILE] [--dry-run]
           npm projects installed with ignore-scripts: run the approved packages' install scripts.
  export   --to npm|pnpm|yarn|bun [--policy FILE] [--lockfile FILE] [--write]
           The script allowlist and release age in the package manager's own settings.
  feeds    verify [PATH ...] [--policy FILE]
           Every malformed record of the advisory feeds (default: the policy's), not just the first.
  report   <name>@<version> [--reason TEXT] [--output FILE] [--feed DIR]
           Draft an OSV record for the OpenSSF malicious-packages database; --feed DIR also refuses it locally.
  incident <name>@<range> [DIR ...] [--advisory FILE] [--format text|json|jsonl|sarif] [--output FILE]
           Every project under DIR (default .) whose lockfile holds an affected release, and whether its scripts ran.

Exit codes: 0 ok; 1 something is (or would be) refused, or a project holds the incident's release; 2 usage, lockfile or policy error.
Options: -h, --help; -v, --version. Colours follow NO_COLOR / FORCE_COLOR.
`;

/** `lifeguard <command> --help`: that command's lines of USAGE (so every command listed there has one). */
function commandHelp(command: string): string | undefined {
  const lines = USAGE.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${command} `));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && /^ {5,}\S/.test(lines[end] ?? '')) end++;
  return `Usage: lifeguard ${lines.slice(start, end).map((l) => l.trim().replace(/^(\S+) {2,}/, '$1 ')).join('\n  ')}\n`;
}

const COMMON = { policy: { type: 'string' }, lockfile: { type: 'string' } } as const;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const topic = command === 'help' && rest[0] !== undefined ? commandHelp(rest[0]) : undefined;
  if (topic !== undefined) {
    process.stdout.write(topic);
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const help = rest.includes('--help') || rest.includes('-h') ? commandHelp(command) : undefined;
  if (help !== undefined) {
    process.stdout.write(help);
    return 0;
  }
  const cwd = process.cwd();
  switch (command) {
    case 'check': {
      const { values } = parseArgs({
        args: rest,
        options: { ...COMMON, format: { type: 'string' }, output: { type: 'string', short: 'o' }, installed: { type: 'boolean' } },
      });
      return check(values, cwd);
    }
    case 'init':
      return init(parseArgs({ args: rest, options: { force: { type: 'boolean' }, pm: { type: 'string' }, yes: { type: 'boolean', short: 'y' } } }).values, cwd);
    case 'explain': {
      const { values, positionals } = parseArgs({ args: rest, options: COMMON, allowPositionals: true });
      if (positionals.length > 1) throw new UsageError('explain takes one package');
      return explain(positionals[0], values, cwd);
    }
    case 'rebuild':
      return rebuild(parseArgs({ args: rest, options: { policy: COMMON.policy, 'dry-run': { type: 'boolean' } } }).values, cwd);
    case 'export': {
      const { values } = parseArgs({ args: rest, options: { ...COMMON, to: { type: 'string' }, write: { type: 'boolean' } } });
      return exportPolicy(values, cwd);
    }
    case 'feeds': {
      const { values, positionals } = parseArgs({ args: rest, options: { policy: COMMON.policy }, allowPositionals: true });
      return feeds(positionals[0], positionals.slice(1), values, cwd);
    }
    case 'report': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { reason: { type: 'string' }, output: { type: 'string', short: 'o' }, feed: { type: 'string' } },
        allowPositionals: true,
      });
      if (positionals.length > 1) throw new UsageError('report takes one release: lifeguard report <name>@<version>');
      return report(positionals[0], values, cwd);
    }
    case 'incident': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { advisory: { type: 'string', multiple: true }, format: { type: 'string' }, output: { type: 'string', short: 'o' } },
        allowPositionals: true,
      });
      return incident(positionals, values, cwd);
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

// `lifeguard … | head`: the reader went away; stop quietly instead of dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof PolicyError || e instanceof LockfileError || e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`lifeguard: ${(e as Error).message}\n`);
    process.exitCode = 2;
  } else throw e;
}
