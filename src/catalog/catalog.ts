import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import { readCsvRows, cell } from './csv-file.ts';
import { DataFileError } from '../errors.ts';
import { evidenceFieldId, narrativeFigureId } from './ids.ts';
import { agenciesInYear, assignmentSchema, ASSIGNMENTS_FILE, splitCodes, type Assignment } from './assignments.ts';
import { ASKS_FILES, loadAsks } from './asks.ts';
import { AGENCY_KEY_PREFIX, fillWords, loadPeriods, placeholdersOf, wordsForYear } from './periods.ts';
import {
  AGENCY_KINDS, COMPARATORS, DERIVES, FIELD_KINDS, FIELD_ROLES,
  type Catalog, type Field, type Indicator, type Measure, type Target,
} from './types.ts';

/** The folder of the bundled data (catalog and profiles). */
export const SEEDS_DIR = path.resolve(import.meta.dirname, '../../seeds');
export const CATALOG_DIR = path.join(SEEDS_DIR, 'catalog');
export const PERIODS_FILE = 'periods.csv';
/** Optional: goals on the whole set of criteria (only a profile has them). */
export const GOALS_FILE = 'goals.csv';
/** Optional: the activity figures asked beside the narrative sections. */
export const NARRATIVE_FIGURES_FILE = 'narrative_figures.csv';
const OPTIONAL_FILES = new Set([GOALS_FILE, NARRATIVE_FIGURES_FILE, ASSIGNMENTS_FILE]);

/** Files whose content defines the catalog version (targets are not among them: they may be overridden). */
const STRUCTURE_FILES = ['areas.csv', 'standards.csv', 'criteria.csv', 'agencies.csv', 'indicators.csv', 'measures.csv', 'fields.csv', 'narratives.csv', 'goals.csv', NARRATIVE_FIGURES_FILE, ASSIGNMENTS_FILE, ...ASKS_FILES];

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const id = (what: string) => cell.required(what).regex(idPattern, { error: `${what} chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang` });

const schemas = {
  areas: z.object({ area_id: id('mã lĩnh vực'), name: cell.required('tên lĩnh vực'), note: cell.optional() }),
  standards: z.object({ standard_id: id('mã tiêu chuẩn'), area_id: cell.required('mã lĩnh vực'), name: cell.required('tên tiêu chuẩn'), note: cell.optional() }),
  criteria: z.object({ criterion_id: id('mã tiêu chí'), standard_id: cell.required('mã tiêu chuẩn'), name: cell.required('tên tiêu chí'), note: cell.optional() }),
  agencies: z.object({ agency_code: id('mã cơ quan'), name: cell.required('tên cơ quan'), kind: cell.oneOf('loại cơ quan', AGENCY_KINDS), sections: cell.optional() }),
  indicators: z.object({
    indicator_id: id('mã chỉ số'), criterion_id: cell.required('mã tiêu chí'), text: cell.required('nội dung chỉ số'),
    agencies: cell.required('đơn vị phụ trách'), note: cell.optional(),
  }),
  measures: z.object({
    measure_id: id('mã số đo'), indicator_id: cell.required('mã chỉ số'), label: cell.required('tên số đo'),
    derive: cell.oneOf('cách tính', DERIVES), unit: cell.optional(),
  }),
  fields: z.object({
    field_id: id('mã ô nhập'), measure_id: cell.required('mã số đo'), label: cell.required('nhãn ô nhập'),
    kind: cell.oneOf('loại số liệu', FIELD_KINDS), unit: cell.optional(), role: cell.oneOf('vai trò', FIELD_ROLES),
  }),
  targets: z.object({
    measure_id: cell.required('mã số đo'),
    year: cell.optional().refine((s) => s === '' || /^\d{4}$/.test(s), { error: 'năm phải có 4 chữ số hoặc để trống (ngưỡng của tiêu chí)' }),
    comparator: cell.oneOf('phép so sánh', COMPARATORS),
    value: cell.optionalNumber('giá trị chỉ tiêu'), value_max: cell.optionalNumber('giá trị trên'),
    source: cell.optional(), note: cell.optional(),
  }),
  goals: z.object({
    goal_id: id('mã mục tiêu'), year: cell.required('năm').regex(/^\d{4}$/, { error: 'năm phải có 4 chữ số' }),
    scope: cell.oneOf('phạm vi', ['criteria'] as const), comparator: cell.oneOf('phép so sánh', ['>='] as const),
    value: cell.number('giá trị'), source: cell.optional(), text: cell.required('nội dung'), note: cell.optional(),
  }),
  narratives: z.object({ section_id: id('mã mục'), report_section: cell.required('mục báo cáo'), title: cell.required('tiêu đề'), prompt: cell.optional(), agencies: cell.optional() }),
  assignments: assignmentSchema,
  narrativeFigures: z.object({
    section_id: cell.required('mã mục'), code: id('mã số liệu'), label: cell.required('nhãn ô nhập'), unit: cell.required('đơn vị tính'),
    phrase: cell.required('cách viết tổng').refine((s) => s.includes('{n}'), { error: 'cách viết tổng phải có {n} (chỗ đặt số)' }),
    source: cell.optional(),
  }),
};

export interface LoadCatalogOptions {
  /** A targets.csv that replaces the bundled ones (a workspace's own targets). */
  targetsFile?: string;
  dir?: string;
  /** Folders whose catalog files add rows to the bundled ones (a profile's own plan: seeds/profiles/<id>/catalog). */
  extraDirs?: string[];
  /** The year whose words (territory level, department names) fill the texts; absent: the words in force now. */
  year?: number | null;
}

/** A row read from a catalog file, with where it came from (for messages). */
type Sourced<T> = T & { file: string; line: number };

type Rows<K extends keyof typeof schemas> = Sourced<z.infer<(typeof schemas)[K]>>[];

/** Every row of every catalog file, read and checked one by one (by its schema). */
interface CatalogRows {
  areas: Rows<'areas'>; standards: Rows<'standards'>; criteria: Rows<'criteria'>; agencies: Rows<'agencies'>;
  indicators: Rows<'indicators'>; measures: Rows<'measures'>; fields: Rows<'fields'>; targets: Rows<'targets'>;
  narratives: Rows<'narratives'>; goals: Rows<'goals'>; figures: Rows<'narrativeFigures'>; assignments: Rows<'assignments'>;
}

const shownOf = (file: string) => path.relative(process.cwd(), file) || file;

function readRows(dirs: string[], targetsFile: string | undefined): CatalogRows {
  /** The rows of a file in the main folder (required) and in the extra folders (optional), in that order. */
  const readAll = <S extends z.ZodObject>(name: string, schema: S, files?: string[]): Sourced<z.infer<S>>[] => {
    const list = files ?? dirs.map((d) => path.join(d, name)).filter((f, k) => (k === 0 && !OPTIONAL_FILES.has(name)) || fs.existsSync(f));
    return list.flatMap((file) => readCsvRows(file, schema, shownOf(file)).map((r, i) => ({ ...r, file: shownOf(file), line: i + 2 })));
  };
  return {
    areas: readAll('areas.csv', schemas.areas),
    standards: readAll('standards.csv', schemas.standards),
    criteria: readAll('criteria.csv', schemas.criteria),
    agencies: readAll('agencies.csv', schemas.agencies),
    indicators: readAll('indicators.csv', schemas.indicators),
    measures: readAll('measures.csv', schemas.measures),
    fields: readAll('fields.csv', schemas.fields),
    targets: readAll('targets.csv', schemas.targets, targetsFile ? [targetsFile] : undefined),
    narratives: readAll('narratives.csv', schemas.narratives),
    goals: readAll(GOALS_FILE, schemas.goals),
    figures: readAll(NARRATIVE_FIGURES_FILE, schemas.narrativeFigures),
    assignments: readAll(ASSIGNMENTS_FILE, schemas.assignments),
  };
}

type Where = { file: string; line: number };

function uniqueIds<T extends Where>(rows: T[], key: (r: T) => string, column: string): Set<string> {
  const seen = new Set<string>();
  rows.forEach((r) => {
    const k = key(r);
    if (seen.has(k)) throw new DataFileError(r.file, `mã "${k}" bị trùng (mỗi mã chỉ được dùng một lần)`, r.line, column);
    seen.add(k);
  });
  return seen;
}

function mustExist(set: Set<string>, value: string, r: Where, column: string, what: string): void {
  if (!set.has(value)) throw new DataFileError(r.file, `${what} "${value}" không có trong danh mục`, r.line, column);
}

/** The files agree with each other: ids unique, every reference known, every target well formed. */
function crossCheck(rows: CatalogRows): void {
  const areaIds = uniqueIds(rows.areas, (r) => r.area_id, 'area_id');
  const standardIds = uniqueIds(rows.standards, (r) => r.standard_id, 'standard_id');
  const criterionIds = uniqueIds(rows.criteria, (r) => r.criterion_id, 'criterion_id');
  const agencyCodes = uniqueIds(rows.agencies, (r) => r.agency_code, 'agency_code');
  const indicatorIds = uniqueIds(rows.indicators, (r) => r.indicator_id, 'indicator_id');
  const measureIds = uniqueIds(rows.measures, (r) => r.measure_id, 'measure_id');
  uniqueIds(rows.fields, (r) => r.field_id, 'field_id');
  const sectionIds = uniqueIds(rows.narratives, (r) => r.section_id, 'section_id');
  rows.figures.forEach((r) => mustExist(sectionIds, r.section_id, r, 'section_id', 'mục báo cáo'));
  uniqueIds(rows.figures, (r) => narrativeFigureId(r.section_id, r.code), 'code');

  rows.standards.forEach((r) => mustExist(areaIds, r.area_id, r, 'area_id', 'lĩnh vực'));
  rows.criteria.forEach((r) => mustExist(standardIds, r.standard_id, r, 'standard_id', 'tiêu chuẩn'));
  rows.indicators.forEach((r) => {
    mustExist(criterionIds, r.criterion_id, r, 'criterion_id', 'tiêu chí');
    for (const code of splitList(r.agencies)) mustExist(agencyCodes, code, r, 'agencies', 'mã cơ quan');
  });
  rows.assignments.forEach((r) => {
    mustExist(indicatorIds, r.indicator_id, r, 'indicator_id', 'chỉ số');
    for (const code of splitCodes(r.agencies)) mustExist(agencyCodes, code, r, 'agencies', 'mã cơ quan');
  });
  rows.agencies.forEach((r) => splitCodes(r.sections).forEach((s) => mustExist(sectionIds, s, r, 'sections', 'mục báo cáo')));
  rows.narratives.forEach((r) => splitCodes(r.agencies).forEach((a) => mustExist(agencyCodes, a, r, 'agencies', 'mã cơ quan')));
  rows.measures.forEach((r) => mustExist(indicatorIds, r.indicator_id, r, 'indicator_id', 'chỉ số'));
  rows.fields.forEach((r) => mustExist(measureIds, r.measure_id, r, 'measure_id', 'số đo'));
  rows.targets.forEach((r) => {
    mustExist(measureIds, r.measure_id, r, 'measure_id', 'số đo');
    const numeric = r.comparator === '>=' || r.comparator === '<=' || r.comparator === 'between';
    if (numeric && r.value === null) throw new DataFileError(r.file, `phép so sánh "${r.comparator}" cần giá trị chỉ tiêu`, r.line, 'value');
    if (r.comparator === 'between' && (r.value_max === null || r.value_max < (r.value ?? 0)))
      throw new DataFileError(r.file, 'phép so sánh "between" cần giá trị trên (value_max) không nhỏ hơn value', r.line, 'value_max');
  });
}

/** Fills a text's period words ({cap_dia_phuong}…) for the year; an unknown word is a mistake of the file. */
type WordFiller = (r: Where, column: string, text: string) => string;

function wordFiller(periods: ReturnType<typeof loadPeriods>, words: Map<string, string>): WordFiller {
  const knownKeys = new Set(periods.map((p) => p.key));
  return (r, column, text) => {
    for (const key of placeholdersOf(text)) {
      if (!knownKeys.has(key)) throw new DataFileError(r.file, `từ "{${key}}" không có trong ${PERIODS_FILE} (các từ: ${[...knownKeys].filter((k) => !k.includes(':')).join(', ')})`, r.line, column);
    }
    return fillWords(text, words).normalize('NFC');
  };
}

/** Measures with their fields, and targets, grouped by indicator. */
function buildMeasures(rows: CatalogRows, words: WordFiller) {
  const measuresByIndicator = new Map<string, Measure[]>();
  const measureById = new Map<string, Measure>();
  for (const r of rows.measures) {
    const m: Measure = { id: r.measure_id, indicatorId: r.indicator_id, label: words(r, 'label', r.label), derive: r.derive, unit: r.unit, fields: [] };
    measureById.set(m.id, m);
    (measuresByIndicator.get(m.indicatorId) ?? measuresByIndicator.set(m.indicatorId, []).get(m.indicatorId)!).push(m);
  }
  const fieldById = new Map<string, Field>();
  for (const r of rows.fields) {
    const m = measureById.get(r.measure_id)!;
    const field: Field = { id: r.field_id, measureId: m.id, indicatorId: m.indicatorId, label: words(r, 'label', r.label), kind: r.kind, unit: r.unit, role: r.role };
    m.fields.push(field);
    fieldById.set(field.id, field);
  }
  rows.measures.forEach((r) => {
    const problem = measureShapeProblem(measureById.get(r.measure_id)!);
    if (problem) throw new DataFileError(r.file, problem, r.line, 'derive');
  });
  const targetsByIndicator = new Map<string, Target[]>();
  for (const r of rows.targets) {
    const m = measureById.get(r.measure_id)!;
    const t: Target = {
      measureId: m.id, indicatorId: m.indicatorId, year: r.year ? Number(r.year) : null, comparator: r.comparator,
      value: r.value, valueMax: r.value_max, source: r.source, note: words(r, 'note', r.note),
    };
    (targetsByIndicator.get(m.indicatorId) ?? targetsByIndicator.set(m.indicatorId, []).get(m.indicatorId)!).push(t);
  }
  return { measuresByIndicator, measureById, fieldById, targetsByIndicator };
}

function buildIndicators(rows: CatalogRows, words: WordFiller, built: ReturnType<typeof buildMeasures>, targetsFileShown: string, year: number | null): Indicator[] {
  const assignments: Assignment[] = rows.assignments.map((r) => ({ indicatorId: r.indicator_id, untilYear: Number(r.until_year), agencies: splitCodes(r.agencies) }));
  const critById = new Map(rows.criteria.map((c) => [c.criterion_id, c]));
  const stdById = new Map(rows.standards.map((s) => [s.standard_id, s]));
  return rows.indicators.map((r) => {
    const measures = built.measuresByIndicator.get(r.indicator_id) ?? [];
    if (measures.length === 0) throw new DataFileError(r.file, `chỉ số "${r.indicator_id}" chưa có số đo nào trong measures.csv`, r.line, 'indicator_id');
    const targets = built.targetsByIndicator.get(r.indicator_id) ?? [];
    if (targets.length === 0) throw new DataFileError(targetsFileShown, `chỉ số "${r.indicator_id}" chưa có chỉ tiêu nào`);
    const evidence: Field = {
      id: evidenceFieldId(r.indicator_id), measureId: null, indicatorId: r.indicator_id,
      label: 'Minh chứng / ghi chú', kind: 'text', unit: '', role: 'evidence',
    };
    built.fieldById.set(evidence.id, evidence);
    const crit = critById.get(r.criterion_id)!;
    const std = stdById.get(crit.standard_id)!;
    return {
      id: r.indicator_id, criterionId: crit.criterion_id, standardId: std.standard_id, areaId: std.area_id,
      text: words(r, 'text', r.text), agencyCodes: agenciesInYear(r.indicator_id, splitList(r.agencies), assignments, year), appendixAgencyCodes: splitList(r.agencies), note: r.note,
      measures, fields: [...measures.flatMap((m) => m.fields), evidence], targets,
    };
  });
}

/** The version is the same for every year: a year changes only the words, never the ids or fields. */
function catalogVersion(dirs: string[], periodFiles: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of [...dirs.flatMap((d) => STRUCTURE_FILES.map((n) => path.join(d, n))), ...periodFiles]) {
    if (fs.existsSync(file)) hash.update(path.basename(file) + '\0' + fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
  }
  return hash.digest('hex').slice(0, 12);
}

/** Loads and cross-checks the catalog. Every inconsistency is a DataFileError with file, line and column. */
export function loadCatalog(opts: LoadCatalogOptions = {}): Catalog {
  const dir = opts.dir ?? CATALOG_DIR;
  const dirs = [dir, ...(opts.extraDirs ?? [])];
  const rows = readRows(dirs, opts.targetsFile);
  const periodFiles = dirs.map((d) => path.join(d, PERIODS_FILE)).filter((f, k) => k === 0 || fs.existsSync(f));
  const periods = loadPeriods(periodFiles);
  const words = wordsForYear(periods, opts.year ?? null);
  const fill = wordFiller(periods, words);
  crossCheck(rows);
  const built = buildMeasures(rows, fill);
  const indicators = buildIndicators(rows, fill, built, shownOf(opts.targetsFile ?? path.join(dir, 'targets.csv')), opts.year ?? null);
  const catalog: Catalog = {
    version: catalogVersion(dirs, periodFiles),
    areas: rows.areas.map((a) => ({ id: a.area_id, name: fill(a, 'name', a.name), note: a.note })),
    standards: rows.standards.map((s) => ({ id: s.standard_id, areaId: s.area_id, name: fill(s, 'name', s.name), note: s.note })),
    criteria: rows.criteria.map((c) => ({ id: c.criterion_id, standardId: c.standard_id, name: fill(c, 'name', c.name), note: c.note })),
    agencies: rows.agencies.map((a) => ({ code: a.agency_code, name: fill(a, 'name', words.get(AGENCY_KEY_PREFIX + a.agency_code) ?? a.name), kind: a.kind, sections: splitCodes(a.sections) })),
    indicators,
    narratives: rows.narratives.map((n) => ({
      id: n.section_id, reportSection: n.report_section, title: fill(n, 'title', n.title), prompt: fill(n, 'prompt', n.prompt), agencies: splitCodes(n.agencies),
      figures: rows.figures.filter((f) => f.section_id === n.section_id).map((f) => ({
        id: narrativeFigureId(f.section_id, f.code), sectionId: f.section_id, label: fill(f, 'label', f.label), unit: f.unit,
        // {n} is the sum's place, not a period word: the other {key}s are filled as everywhere.
        phrase: fill(f, 'phrase', f.phrase.replaceAll('{n}', '\u0000')).replaceAll('\u0000', '{n}'), source: f.source,
      })),
    })),
    asks: loadAsks(dirs, fill, {
      sections: new Set(rows.narratives.map((n) => n.section_id)), indicators: new Set(indicators.map((i) => i.id)), fields: new Set(built.fieldById.keys()),
    }),
    goals: rows.goals.map((g) => ({ id: g.goal_id, year: Number(g.year), scope: g.scope, comparator: g.comparator, value: g.value, source: g.source, text: fill(g, 'text', g.text), note: g.note })),
    year: opts.year ?? null,
    words,
    indicatorById: new Map(indicators.map((x) => [x.id, x])),
    fieldById: built.fieldById,
    measureById: built.measureById,
    agencyByCode: new Map(),
    criterionById: new Map(),
    standardById: new Map(),
    areaById: new Map(),
  };
  for (const a of catalog.agencies) catalog.agencyByCode.set(a.code, a);
  for (const c of catalog.criteria) catalog.criterionById.set(c.id, c);
  for (const s of catalog.standards) catalog.standardById.set(s.id, s);
  for (const a of catalog.areas) catalog.areaById.set(a.id, a);
  return catalog;
}

function splitList(s: string): string[] {
  return s.split(';').map((x) => x.trim()).filter(Boolean);
}

/** A measure must have the fields its derivation needs. */
function measureShapeProblem(m: Measure): string | null {
  const roles = new Set(m.fields.map((f) => f.role));
  const need = (...rs: string[]) => rs.filter((r) => !roles.has(r as never));
  if (m.fields.length === 0) return `số đo "${m.id}" chưa có ô nhập nào trong fields.csv`;
  let missing: string[] = [];
  if (m.derive === 'rate') missing = roles.has('total') ? need('den') : need('num', 'den');
  else if (m.derive === 'ratio') missing = need('num', 'den');
  else if (m.derive === 'percent' || m.derive === 'number' || m.derive === 'rating') missing = need('value');
  return missing.length ? `số đo "${m.id}" tính theo "${m.derive}" nhưng thiếu ô nhập có vai trò ${missing.join(', ')}` : null;
}
