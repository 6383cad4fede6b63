/**
 * Summary of a V8 CPU profile (node --cpu-prof): self time by function and by module (a package under node_modules,
 * a file of this project, or Node's own code), so that the bench can say what limits a stage.
 *   node bench/profile.ts <file.cpuprofile> [top]
 */
import fs from 'node:fs';
import path from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: { name: string; ms: number; share: number }[];
  byModule: { name: string; ms: number; share: number }[];
}

/** "exceljs", "jszip", "sax", "src/ingest/ingest.ts", "node:zlib", "(gc)", "(program)", "(idle)". */
export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return url;
  const own = /\/((?:src|bench|test|fixtures)\/.*)$/.exec(url);
  return own ? own[1] : url.replace(/^file:\/\//, '');
}

export function summarise(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const cf = byId.get(id)!.callFrame;
    if (cf.functionName === '(idle)') continue;
    total += ms;
    const m = moduleOf(cf.url, cf.functionName);
    const name = `${cf.functionName || '(anonymous)'} ${m}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
    fn.set(name, (fn.get(name) ?? 0) + ms);
    mod.set(m, (mod.get(m) ?? 0) + ms);
  }
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, ms]) => ({ name, ms: Math.round(ms), share: total ? ms / total : 0 }));
  return { totalMs: Math.round(total), byFunction: rank(fn), byModule: rank(mod) };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
  return [
    `  CPU (không tính thời gian chờ): ${s.totalMs} ms`,
    '  Theo mô-đun (self time):',
    ...s.byModule.map((x) => `    ${pct(x.share)}  ${String(x.ms).padStart(7)} ms  ${x.name}`),
    '  Theo hàm (self time):',
    ...s.byFunction.map((x) => `    ${pct(x.share)}  ${String(x.ms).padStart(7)} ms  ${x.name}`),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatSummary(summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 15))));
}
