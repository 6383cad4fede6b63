/**
 * HTML rendering: Handlebars templates (bundled in templates/, overridable file by file from the workspace's
 * templates/ folder) applied to the report model. Unit text only ever goes through {{ }}, which escapes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UserError } from '../errors.ts';
import { tinosFile } from './tinos.ts';
import type { ReportModel } from './model/index.ts';
import type { AppendixTextsModel } from './model/types.ts';

export const BUNDLED_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
export const MAIN_TEMPLATE = 'report.hbs';
/** Phụ lục III as a document of its own (many units). */
export const ANNEX_TEMPLATE = 'annex.hbs';
export const STYLESHEET = 'report.css';
export const PARTIALS_DIR = 'partials';

export interface TemplateSet {
  main: string;
  annex: string;
  css: string;
  partials: Map<string, string>;
  /** Files taken from the workspace instead of the bundled ones (shown to the analyst). */
  overridden: string[];
  /** Where each piece came from, for error messages. */
  sources: Map<string, string>;
}

/** The bundled templates with, file by file, those of `<workspace>/templates/` in their place. */
export function loadTemplates(workspaceDir?: string): TemplateSet {
  const custom = workspaceDir ? path.join(workspaceDir, 'templates') : null;
  const sources = new Map<string, string>();
  const overridden: string[] = [];
  const pick = (rel: string): string => {
    const mine = custom ? path.join(custom, rel) : null;
    if (mine && fs.existsSync(mine)) {
      overridden.push(mine);
      sources.set(rel, mine);
      return mine;
    }
    const bundled = path.join(BUNDLED_TEMPLATES_DIR, rel);
    sources.set(rel, bundled);
    return bundled;
  };
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    } catch (e) {
      throw new UserError(`Không đọc được mẫu báo cáo ${file}: ${(e as Error).message}`);
    }
  };
  const main = read(pick(MAIN_TEMPLATE));
  const annex = read(pick(ANNEX_TEMPLATE));
  const css = read(pick(STYLESHEET));
  const names = new Set<string>();
  for (const dir of [path.join(BUNDLED_TEMPLATES_DIR, PARTIALS_DIR), custom ? path.join(custom, PARTIALS_DIR) : null]) {
    if (!dir || !fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.hbs')) names.add(f.slice(0, -4));
  }
  const partials = new Map<string, string>();
  for (const name of [...names].sort()) {
    const rel = path.join(PARTIALS_DIR, `${name}.hbs`);
    partials.set(name, read(pick(rel)));
  }
  return { main, annex, css, partials, overridden, sources };
}

interface FontFile { subset: 'latin' | 'vietnamese'; weight: 400 | 700; style: 'normal' | 'italic' }

/** The unicode ranges of @fontsource's subsets (unicode.json): the browser takes each glyph from the right file. */
const UNICODE_RANGES = {
  latin: 'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD',
  vietnamese: 'U+0102-0103, U+0110-0111, U+0128-0129, U+0168-0169, U+01A0-01A1, U+01AF-01B0, U+0300-0301, U+0303-0304, U+0308-0309, U+0323, U+0329, U+1EA0-1EF9, U+20AB',
} as const;

let fontCssCache: string | null = null;

/**
 * @font-face rules for Tinos (metric-compatible with Times New Roman, full Vietnamese coverage), embedded as data:
 * URIs so that the HTML is self-contained and the PDF never depends on the fonts of the machine.
 */
export function tinosFontCss(): string {
  if (fontCssCache) return fontCssCache;
  const files: FontFile[] = [];
  for (const subset of ['vietnamese', 'latin'] as const) {
    for (const weight of [400, 700] as const) for (const style of ['normal', 'italic'] as const) files.push({ subset, weight, style });
  }
  const rules = files.map((f) => {
    const data = fs.readFileSync(tinosFile(f.subset, f.weight, f.style, 'woff2')).toString('base64');
    return `@font-face { font-family: "Tinos"; font-style: ${f.style}; font-weight: ${f.weight}; font-display: block; ` +
      `src: url(data:font/woff2;base64,${data}) format("woff2"); unicode-range: ${UNICODE_RANGES[f.subset]}; }`;
  });
  fontCssCache = rules.join('\n');
  return fontCssCache;
}

/** What Phụ lục III's own document is made from: while none of these is the workspace's own, its PDF is typeset by
 * hoctap (typeset/annex.ts sets the same text as they do); a workspace that changed one gets the browser's printing. */
const ANNEX_SOURCES = [ANNEX_TEMPLATE, STYLESHEET, ...['document-head', 'appendix-head', 'appendix-texts', 'unit-texts'].map((n) => path.join(PARTIALS_DIR, `${n}.hbs`))];

export function annexTemplatesCustomised(t: TemplateSet): boolean {
  return ANNEX_SOURCES.some((rel) => t.overridden.includes(t.sources.get(rel) ?? ''));
}

/** Compiles the templates (a broken workspace template is reported with its file) and renders the model. */
export function renderReportHtml(model: ReportModel, templates: TemplateSet): string {
  return render(model, templates, MAIN_TEMPLATE, templates.main);
}

/** Phụ lục III as a document of its own, with the same partials and styles. */
export function renderAnnexHtml(model: ReportModel, templates: TemplateSet): string {
  return render(model, templates, ANNEX_TEMPLATE, templates.annex);
}

/**
 * About a hundred PDF pages of units' text (13 pt, some 2,500 characters a page): a part Chromium lays out and prints
 * in a few hundred MiB, where the whole of Phụ lục III for 3,000 units (1,700 pages) took 1.5 GiB.
 */
export const ANNEX_PART_CHARS = 250_000;

/** One part of Phụ lục III for printing: `continued` when it does not begin the appendix (no heading then). */
export interface AnnexPart { continued: boolean; sections: (AppendixTextsModel['sections'][number] & { continued: boolean })[] }

/**
 * Phụ lục III cut into parts of whole units' texts, in order, each at most `maxChars` of text (a unit longer than that
 * has a part of its own); a section that begins after the first half of a part begins the next one, so that most cuts
 * fall where the text changes section anyway. Every printed text is in exactly one part.
 */
export function splitAnnex(annex: AppendixTextsModel, maxChars = ANNEX_PART_CHARS): AnnexPart[] {
  const parts: AnnexPart[] = [];
  let current: AnnexPart = { continued: false, sections: [] };
  let size = 0;
  const close = () => {
    parts.push(current);
    current = { continued: true, sections: [] };
    size = 0;
  };
  for (const section of annex.sections) {
    if (!section.shown) continue;
    const printed = section.entries.filter((e) => !e.isLead);
    if (size > maxChars / 2) close();
    let open: AnnexPart['sections'][number] | null = null;
    for (const entry of printed) {
      const chars = entry.unitName.length + entry.paragraphs.reduce((s, p) => s + p.lines.reduce((t, l) => t + l.length + 1, 0), 0);
      if (size > 0 && size + chars > maxChars) {
        close();
        // The section's heading is printed where it begins; the part that carries it on goes on without it.
        if (open) current.sections.push(open = { ...section, entries: [], continued: true });
      }
      if (!open) current.sections.push(open = { ...section, entries: [], continued: false });
      open.entries.push(entry);
      size += chars;
    }
  }
  if (current.sections.length || !parts.length) parts.push(current);
  return parts;
}

/** Phụ lục III as a document of its own, in parts for printing (see splitAnnex): one HTML document each. */
export function renderAnnexParts(model: ReportModel, templates: TemplateSet, maxChars = ANNEX_PART_CHARS): string[] {
  return splitAnnex(model.appendixIII, maxChars).map((part) => render(
    { ...model, appendixIII: { ...model.appendixIII, sections: part.sections } }, templates, ANNEX_TEMPLATE, templates.annex, { part },
  ));
}

function render(model: ReportModel, templates: TemplateSet, rel: string, source: string, extra: Record<string, unknown> = {}): string {
  const hb = Handlebars.create();
  hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
  const compile = (file: string, text: string) => {
    try {
      // compile() is lazy: parse now so that a syntax error names its file.
      hb.parse(text);
      return hb.compile(text, { strict: false, preventIndent: true });
    } catch (e) {
      throw new UserError(`Mẫu báo cáo ${templates.sources.get(file) ?? file} có lỗi cú pháp Handlebars: ${firstLine((e as Error).message)}`);
    }
  };
  for (const [name, partial] of templates.partials) {
    // Precompile to report syntax errors with the right file before rendering.
    compile(path.join(PARTIALS_DIR, `${name}.hbs`), partial);
    hb.registerPartial(name, partial);
  }
  const main = compile(rel, source);
  try {
    return main({ ...model, fontCss: tinosFontCss(), css: templates.css, ...extra });
  } catch (e) {
    throw new UserError(`Không áp dụng được mẫu báo cáo (${templates.overridden.length ? templates.overridden.join(', ') : rel}): ${firstLine((e as Error).message)}`);
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/**
 * Copies the bundled templates into `<workspace>/templates/` for the analyst to edit; files already there are kept.
 * Returns the files written and those left alone.
 */
export function copyBundledTemplates(workspaceDir: string): { written: string[]; kept: string[] } {
  const target = path.join(workspaceDir, 'templates');
  const rels = [MAIN_TEMPLATE, ANNEX_TEMPLATE, STYLESHEET, ...fs.readdirSync(path.join(BUNDLED_TEMPLATES_DIR, PARTIALS_DIR))
    .filter((f) => f.endsWith('.hbs')).sort().map((f) => path.join(PARTIALS_DIR, f))];
  const written: string[] = [];
  const kept: string[] = [];
  for (const rel of rels) {
    const dest = path.join(target, rel);
    if (fs.existsSync(dest)) {
      kept.push(dest);
      continue;
    }
    try {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(path.join(BUNDLED_TEMPLATES_DIR, rel), dest);
    } catch (e) {
      throw new UserError(`Không chép được mẫu báo cáo vào ${dest}: ${(e as Error).message}`);
    }
    written.push(dest);
  }
  return { written, kept };
}
