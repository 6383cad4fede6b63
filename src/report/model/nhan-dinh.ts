/**
 * The analyst's own words (years/<year>/nhan-dinh.md): one "## " heading per item of the report's outline, numbered as
 * the report numbers it. hoctap writes its draft under each, marked by a visible line carrying the draft's hash; a
 * section whose text is still that draft gets the fresh draft on every run, a section the analyst wrote or edited is
 * kept word for word and printed instead of the draft in every format. Pure functions: reading and writing the file
 * is src/report/nhan-dinh-file.ts.
 */
import { createHash } from 'node:crypto';
import type { NarrativeBlock, NarrativeParagraph, ReportModel } from './types.ts';

export interface OutlineItem { code: string; title: string; draft: string[] }

/** The visible line above a draft; the hash tells a draft left as it was from one the analyst edited. */
export const DRAFT_MARKER = '> BẢN NHÁP của hoctap';
const MARKER_RE = /^> BẢN NHÁP của hoctap \(mã ([0-9a-f]{8})\)/u;

export function draftHash(lines: string[]): string {
  return createHash('sha256').update(lines.map((l) => l.trim()).filter(Boolean).join('\n').normalize('NFC')).digest('hex').slice(0, 8);
}

export function markerLine(lines: string[]): string {
  return `${DRAFT_MARKER} (mã ${draftHash(lines)}): viết lại hoặc sửa phần dưới đây rồi xóa dòng này; hoctap làm mới bản nháp mỗi lần lập báo cáo, ` +
    'giữ nguyên mọi chữ anh/chị đã viết.';
}

const blockDraft = (b: NarrativeBlock): string[] =>
  [...b.lead.flatMap((p) => p.lines), b.figures, b.synthesis, ...b.points].filter(Boolean);

/** Every item of the outline with the text the report prints for it now (the machine's draft). */
export function outlineItems(m: ReportModel): OutlineItem[] {
  const { directing, digital, results, week, citizens } = m.partI;
  const d = m.partII.difficulties;
  const sub = directing.subsections;
  return [
    { code: 'I.1', title: directing.title, draft: blockDraft(directing) },
    ...sub.map((s, k) => ({ code: `I.1.${k + 1}`, title: s.title, draft: blockDraft(s) })),
    { code: 'I.2', title: digital.title, draft: blockDraft(digital) },
    { code: 'I.3', title: results.title, draft: [results.overall, ...results.details, ...results.incomplete] },
    { code: 'I.4', title: week.title, draft: blockDraft(week) },
    { code: 'I.5', title: citizens.title, draft: blockDraft(citizens) },
    { code: 'II.1', title: m.partII.achieved.title, draft: m.partII.achieved.paragraphs },
    { code: 'II.2', title: d.title, draft: [d.notMetIntro, ...d.notMet, d.missingIntro, ...d.missing, d.unitsIntro, ...blockDraft(d.narrative)].filter(Boolean) },
    { code: 'III', title: m.partIII.heading.replace(/^III\.\s*/, ''), draft: blockDraft(m.partIII.narrative) },
    { code: 'IV', title: m.partIV.heading.replace(/^IV\.\s*/, ''), draft: blockDraft(m.partIV.narrative) },
  ];
}

/** One "## " section of the file as read: its heading line and its body lines. */
export interface FileSection { code: string; heading: string; body: string[] }

/** The file cut at its "## " headings: what comes before the first (kept as it is) and each section. */
export function parseNhanDinh(text: string): { preamble: string[]; sections: FileSection[] } {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const preamble: string[] = [];
  const sections: FileSection[] = [];
  for (const line of lines) {
    const h = /^##\s+(\S+)/u.exec(line);
    if (h) sections.push({ code: h[1].replace(/\.$/, ''), heading: line, body: [] });
    else if (sections.length) sections[sections.length - 1].body.push(line);
    else preamble.push(line);
  }
  return { preamble, sections };
}

/** What a section holds: the untouched draft (or nothing), or the analyst's words. */
export function analystText(s: FileSection): string[] | null {
  const marker = s.body.map((l) => MARKER_RE.exec(l)).find(Boolean);
  const content = s.body.filter((l) => !MARKER_RE.test(l)).map((l) => l.trim()).filter(Boolean);
  if (!content.length) return null;
  if (marker && marker[1] === draftHash(content)) return null;
  return content;
}

export interface Merged {
  /** The file's new text. */
  text: string;
  /** Item code → the analyst's paragraphs. */
  written: Map<string, string[]>;
  /** Items still drafted by hoctap. */
  drafts: string[];
}

/**
 * The file for this run: each item the analyst wrote kept word for word, each other item with the fresh draft; the
 * preamble and any section the outline does not know kept as they are.
 */
export function mergeNhanDinh(existing: string | null, items: OutlineItem[], year: number): Merged {
  const parsed = existing === null ? { preamble: defaultPreamble(year), sections: [] } : parseNhanDinh(existing);
  const byCode = new Map(parsed.sections.map((s) => [s.code, s]));
  const written = new Map<string, string[]>();
  const drafts: string[] = [];
  const out = [...trimEnd(parsed.preamble), ''];
  for (const item of items) {
    const found = byCode.get(item.code);
    const own = found ? analystText(found) : null;
    if (found && own) {
      written.set(item.code, own);
      out.push(found.heading, ...trimEnd(found.body), '');
      continue;
    }
    drafts.push(item.code);
    out.push(found?.heading ?? `## ${item.code} ${item.title}`, '', markerLine(item.draft), '', ...item.draft.flatMap((l) => [l, '']));
  }
  const known = new Set(items.map((i) => i.code));
  for (const s of parsed.sections.filter((x) => !known.has(x.code))) out.push(s.heading, ...trimEnd(s.body), '');
  return { text: `${trimEnd(out).join('\n')}\n`, written, drafts };
}

function trimEnd(lines: string[]): string[] {
  let n = lines.length;
  while (n > 0 && !lines[n - 1].trim()) n--;
  return lines.slice(0, n);
}

function defaultPreamble(year: number): string[] {
  return [
    `# Nhận định của chuyên viên: báo cáo năm ${year}`,
    '',
    'Mỗi tiêu đề "## " dưới đây là một mục của báo cáo, đánh số như báo cáo. Dưới mỗi tiêu đề là bản nháp hoctap soạn từ số liệu',
    'và báo cáo của các đơn vị, có dòng "BẢN NHÁP" ở đầu. Viết lại hoặc sửa dưới tiêu đề nào thì báo cáo (HTML, PDF, DOCX) in',
    'đúng lời anh/chị viết thay cho bản nháp của mục đó, ở mọi lần lập lại báo cáo; mục để nguyên bản nháp được làm mới theo số',
    'liệu mới nhất. Mỗi dòng là một đoạn văn. Không đổi số mục sau "## ".',
  ];
}

/** The model with the analyst's paragraphs in place of the drafts they replace. */
export function applyWritten(m: ReportModel, written: Map<string, string[]>): ReportModel {
  const paras = (code: string): NarrativeParagraph[] | null => (written.has(code) ? written.get(code)!.map((l) => ({ lines: [l] })) : null);
  const block = (b: NarrativeBlock, code: string): NarrativeBlock => ({ ...b, written: paras(code) ?? b.written });
  const { partI, partII } = m;
  return {
    ...m,
    partI: {
      ...partI,
      directing: { ...block(partI.directing, 'I.1'), subsections: partI.directing.subsections.map((s, k) => block(s, `I.1.${k + 1}`)) },
      digital: block(partI.digital, 'I.2'),
      results: { ...partI.results, written: paras('I.3') },
      week: block(partI.week, 'I.4'),
      citizens: block(partI.citizens, 'I.5'),
    },
    partII: {
      ...partII,
      achieved: { ...partII.achieved, written: paras('II.1') },
      difficulties: { ...partII.difficulties, written: paras('II.2') },
    },
    partIII: { ...m.partIII, narrative: block(m.partIII.narrative, 'III') },
    partIV: { ...m.partIV, narrative: block(m.partIV.narrative, 'IV') },
  };
}
