import { resolve } from 'node:path';
import { affectsAdvisories, affectsRange, type Affects } from '../incident/affects';
import { isIncidentFormat, renderJson, renderJsonl, renderSarif, renderText, shower } from '../incident/render';
import { scan } from '../incident/scan';
import { colors, emit, UsageError } from '../output';
import { VERSION } from '../version';

export interface IncidentOptions {
  advisory?: string[];
  format?: string;
  output?: string;
}

/**
 * `lifeguard incident <name>@<range> [DIR ...]` (or `--advisory FILE [DIR ...]`): every project under the
 * folders whose lockfile holds an affected release, and whether its install scripts ran.
 * Exit 1 when anything is affected; 2 when nothing is but some lockfile could not be searched
 * (the answer is incomplete); 0 otherwise.
 */
export function incident(positionals: readonly string[], opts: IncidentOptions, cwd: string): number {
  const format = opts.format ?? 'text';
  if (!isIncidentFormat(format)) throw new UsageError(`--format must be text, json, jsonl or sarif (got ${JSON.stringify(format)})`);
  let affects: Affects;
  let dirs: readonly string[];
  if (opts.advisory?.length) {
    affects = affectsAdvisories(opts.advisory.map((f) => resolve(cwd, f)));
    dirs = positionals;
  } else {
    const [target, ...rest] = positionals;
    if (!target) throw new UsageError('incident needs a release range or an advisory: lifeguard incident <name>@<range> [DIR ...] | --advisory FILE [DIR ...]');
    affects = affectsRange(target);
    dirs = rest;
  }
  const result = scan((dirs.length ? dirs : ['.']).map((d) => resolve(cwd, d)), affects);
  const show = shower(cwd);
  const text =
    format === 'json' ? renderJson(result, show)
    : format === 'jsonl' ? renderJsonl(result, show)
    : format === 'sarif' ? renderSarif(result, affects.label, show, VERSION)
    : renderText(result, affects.label, show, colors);
  emit(text, opts.output);
  return result.affected.length > 0 ? 1 : result.unreadable.length > 0 ? 2 : 0;
}
