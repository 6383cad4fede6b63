import type { Command } from 'commander';
import { describeTarget } from '../../catalog/targets.ts';
import type { Catalog, Indicator, Target } from '../../catalog/types.ts';
import { UserError } from '../../errors.ts';
import { parseFormat, parseYear, renderCsv, renderJson, renderTable } from '../output.ts';
import { workspaceOf, type SetExitCode } from '../context.ts';

/** The stable JSON shape of one indicator (documented in README). */
export function indicatorJson(c: Catalog, ind: Indicator, year: number | undefined) {
  const criterion = c.criterionById.get(ind.criterionId)!;
  const standard = c.standardById.get(ind.standardId)!;
  const area = c.areaById.get(ind.areaId)!;
  return {
    id: ind.id,
    area: { id: area.id, name: area.name },
    standard: { id: standard.id, name: standard.name },
    criterion: { id: criterion.id, name: criterion.name },
    text: ind.text,
    agencies: ind.agencyCodes.map((code) => ({ code, name: c.agencyByCode.get(code)!.name })),
    measures: ind.measures.map((m) => ({ id: m.id, label: m.label, derive: m.derive, unit: m.unit })),
    fields: ind.fields.map((f) => ({ id: f.id, label: f.label, kind: f.kind, unit: f.unit, role: f.role, measure: f.measureId })),
    targets: targetsInForce(ind, year).map((t) => ({
      measure: t.measureId, year: t.year, comparator: t.comparator, value: t.value, valueMax: t.valueMax,
      text: describeTarget(t, c.measureById.get(t.measureId)!.unit), source: t.source, note: t.note,
    })),
    note: ind.note,
  };
}

/** With a year: the criterion thresholds and that year's roadmap targets; without: every target. */
export function targetsInForce(ind: Indicator, year: number | undefined): Target[] {
  return year === undefined ? ind.targets : ind.targets.filter((t) => t.year === null || t.year === year);
}

export function registerCatalog(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('catalog')
    .description('liệt kê các chỉ số: tiêu chí, đơn vị phụ trách, ô số liệu và chỉ tiêu đang áp dụng')
    .option('--agency <mã>', 'chỉ các chỉ số giao cho cơ quan này (ví dụ GDDT, UBND)')
    .option('--year <năm>', 'chỉ tiêu áp dụng cho năm này (ngưỡng của tiêu chí và chỉ tiêu lộ trình của năm)')
    .option('--format <dạng>', 'table (mặc định ở terminal), json hoặc csv')
    .addHelpText('after', `
Ví dụ:
  hoctap catalog --agency GDDT --year 2025
  hoctap catalog --format json > danh-muc.json
  hoctap catalog --agency UBND --format csv > chi-so-ubnd.csv`)
    .action((opts: { agency?: string; year?: string; format?: string }, cmd: Command) => {
      const ws = workspaceOf(cmd);
      const c = ws.catalog;
      const year = parseYear(opts.year);
      const format = parseFormat(opts.format, ['table', 'json', 'csv'] as const, process.stdout.isTTY ? 'table' : 'json');
      if (opts.agency && !c.agencyByCode.has(opts.agency)) {
        throw new UserError(`Không có cơ quan mã "${opts.agency}". Các mã: ${c.agencies.map((a) => a.code).join(', ')}.`);
      }
      const list = c.indicators.filter((i) => !opts.agency || i.agencyCodes.includes(opts.agency));
      if (format === 'json') {
        process.stdout.write(renderJson({
          catalogVersion: c.version, profile: ws.profile.id, year: year ?? null,
          indicators: list.map((i) => indicatorJson(c, i, year)),
        }));
        return;
      }
      const targetText = (i: Indicator) => targetsInForce(i, year)
        .map((t) => `${t.year ?? 'Ngưỡng'}: ${describeTarget(t, c.measureById.get(t.measureId)!.unit)}`).join('\n');
      if (format === 'csv') {
        process.stdout.write(renderCsv(
          ['id', 'area', 'standard', 'criterion', 'text', 'agencies', 'fields', 'targets'],
          list.map((i) => [i.id, i.areaId, i.standardId, i.criterionId, i.text, i.agencyCodes.join(';'), i.fields.map((f) => `${f.id}:${f.kind}`).join(';'), targetText(i).replace(/\n/g, '; ')]),
        ));
        return;
      }
      const width = Math.max(process.stdout.columns ?? 120, 100);
      process.stdout.write(renderTable(
        ['Chỉ số', 'Nội dung', 'Phụ trách', 'Số liệu', 'Chỉ tiêu'],
        list.map((i) => [i.id, i.text, i.agencyCodes.join(', '), i.fields.filter((f) => f.role !== 'evidence').map((f) => `${f.label}${f.unit ? ` (${f.unit})` : ''}`).join('\n'), targetText(i)]),
        [11, Math.floor(width * 0.35), 12, Math.floor(width * 0.25), 24],
      ) + '\n');
      process.stdout.write(`${list.length} chỉ số · phiên bản danh mục ${c.version}${year ? ` · chỉ tiêu năm ${year}` : ''}\n`);
    });
}
