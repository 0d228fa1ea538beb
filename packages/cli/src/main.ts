import { parseArgs } from 'node:util';
import { PolicyError } from '@lifeguard/core';
import { check } from './commands/check';
import { LockfileError } from './lockfiles/index';
import { UsageError } from './output';
import { VERSION } from './version';

const USAGE = `Usage: lifeguard <command> [options]

Commands:
  check     [--lockfile FILE] [--policy FILE] [--format text|json|sarif] [--output FILE] [--installed]
            Evaluate every package of the lockfile offline. Exit 0: nothing refused; 1: something would be refused; 2: usage or policy error.

Options:
  -h, --help     this help
  -v, --version  print the version
`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const cwd = process.cwd();
  switch (command) {
    case 'check': {
      const { values } = parseArgs({
        args: rest,
        strict: true,
        options: {
          lockfile: { type: 'string' },
          policy: { type: 'string' },
          format: { type: 'string' },
          output: { type: 'string', short: 'o' },
          installed: { type: 'boolean' },
        },
      });
      return check(values, cwd);
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof PolicyError || e instanceof LockfileError || e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`lifeguard: ${(e as Error).message}\n`);
    process.exitCode = 2;
  } else throw e;
}
