import { renderJson } from './json';
import type { Report } from './model';
import { renderSarif } from './sarif';
import { renderText, type Colors } from './text';

/** The formats `lifeguard check` and `yarn lifeguard check` print. */
export const REPORT_FORMATS = ['text', 'json', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (format: string): format is ReportFormat => (REPORT_FORMATS as readonly string[]).includes(format);

/** The report in one of the formats; `toolVersion` goes into SARIF's driver. */
export function renderReport(report: Report, format: ReportFormat, colors: Colors, toolVersion: string): string {
  return format === 'json' ? renderJson(report) : format === 'sarif' ? renderSarif(report, toolVersion) : renderText(report, colors);
}
