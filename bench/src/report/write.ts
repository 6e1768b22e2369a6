import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Options } from '../cli';
import type { Row } from '../context';
import type { Summary } from './compare';
import { chartRows, latencySvg } from './svg';

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memGB: number;
    node: string;
    loadAvgStart: number[];
    loadAvgEnd: number[];
  };
  options: Options;
  rows: Row[];
  summary: Summary;
  profile?: unknown;
  serverLogs: Record<string, unknown>;
}

/** Writes `<timestamp>.json`, `latest.json` and `latest-latency.svg`; returns the paths. */
export function writeResults(
  dir: string,
  startedAt: Date,
  loadAvgStart: number[],
  parts: Omit<RunReport, 'startedAt' | 'finishedAt' | 'command' | 'machine'>,
): string[] {
  const report: RunReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      // Other work on the machine shows up as latency noise: judge the figures with these.
      loadAvgStart,
      loadAvgEnd: loadavg(),
    },
    ...parts,
  };
  return saveReport(dir, report);
}

/** Writes a complete report (also used to re-render a saved run with `--from`). */
export function saveReport(dir: string, report: RunReport): string[] {
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const files = [join(dir, `${stamp}.json`), join(dir, 'latest.json'), join(dir, 'latest-latency.svg')];
  writeFileSync(files[0]!, json);
  writeFileSync(files[1]!, json);
  const chart = chartRows(report.rows);
  writeFileSync(files[2]!, latencySvg(chart.rows, chart.title));
  return files;
}
