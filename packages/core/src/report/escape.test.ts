import { describe, expect, it } from 'vitest';
import type { Finding } from '../types';
import { printable } from './escape';
import { findingLines, refusalLines, skippedLines, warningLine } from './messages';
import { renderText } from './text';

const plain = { red: String, yellow: String, green: String, cyan: String, dim: String, bold: String };
const HOSTILE = 'evil\u001b[2K\r\u0007\nLifeguard: nothing refused.\u0085\u2028\u202e\u2066\u009b31m\u007f';

describe('hostile names in human output', () => {
  it('escapes C0, DEL, C1, line separators and bidi controls, and keeps everything else', () => {
    expect(printable(HOSTILE)).toBe('evil\\u001b[2K\\u000d\\u0007\\u000aLifeguard: nothing refused.\\u0085\\u2028\\u202e\\u2066\\u009b31m\\u007f');
    expect(printable('@scope/ехpress-1.0.0 ü 日本')).toBe('@scope/ехpress-1.0.0 ü 日本');
  });

  it('leaves no control character in the text report or in any install message', () => {
    const f: Finding = {
      code: 'LIFEGUARD_DENY', action: 'refuse', severity: 'high', package: HOSTILE, version: `1.0.0${HOSTILE}`,
      message: `m${HOSTILE}`, fix: `f${HOSTILE}`, rule: 'packages.deny',
    };
    const texts = [
      renderText({ target: `t${HOSTILE}`, policyFile: 'lifeguard.json', packages: 1, findings: [f, { ...f, action: 'warn' }] }, plain),
      ...findingLines(f), ...refusalLines([f], HOSTILE, 'in the lockfile'), warningLine(f),
      ...skippedLines([{ id: HOSTILE, lifecycle: HOSTILE, rule: 'scripts.unapproved', fix: HOSTILE }], undefined, 'pnpm install'),
    ];
    for (const t of texts) {
      const lines = t.split('\n');
      for (const line of lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }
    // The report's own layout is the only source of newlines: the hostile finding adds none.
    const tame = { ...f, package: 'evil', version: '1.0.0', message: 'm', fix: 'f' };
    const reference = renderText({ target: 't', policyFile: 'lifeguard.json', packages: 1, findings: [tame, { ...tame, action: 'warn' }] }, plain);
    expect(texts[0]?.split('\n')).toHaveLength(reference.split('\n').length);
  });
});
