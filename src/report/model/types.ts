/** The shape of the report model: what the templates (and the DOCX writer) receive, already worded in Vietnamese. */
import type { Catalog } from '../../catalog/types.ts';
import type { Profile, Unit } from '../../catalog/workspace.ts';
import type { NarrativeRow } from '../../store/queries.ts';
import type { StoredItem } from '../../store/store.ts';
import type { ScoreReport, StatusReport, Verdict } from '../../scoring/types.ts';
import type { ReportDate } from '../format.ts';
import type { StandardBar, TrendBar } from '../charts.ts';

export interface TrendPoint { year: number; met: number; notMet: number; missing: number; assessed: number; total: number }

export interface ReportInput {
  profile: Profile;
  catalog: Catalog;
  roster: Unit[];
  score: ScoreReport;
  status: StatusReport;
  narratives: NarrativeRow[];
  /** The accepted activity figures of the narrative sections (narrative_figures.csv), every unit. */
  figures: { unit_code: string; field_id: string; value_num: number | null }[];
  /** The structured items in force (highlights, difficulties, proposals, nominations); absent: none. */
  items?: StoredItem[];
  /** Overall rollup of every year in the store (the report's year included when it has figures), ascending. */
  trend: TrendPoint[];
  date: ReportDate;
  /**
   * Review (docs/review.md): which units' figures are approved, whether the year is locked, and whether this is the
   * final report (`report --final`, only on a locked year); a report that is not final is marked as a draft. Absent:
   * nothing is said of review (a model built outside a workspace).
   */
  review?: ReportReview;
}

export interface ReportReview { final: boolean; locked: boolean; states: { unitCode: string; state: 'received' | 'returned' | 'approved' }[] }

export interface NarrativeParagraph { lines: string[] }
/** One unit's activity figure of a section: `text` as the report says it ("thu hút 1.500 lượt người tham gia"). */
export interface NarrativeFigureValue { id: string; label: string; unit: string; value: number; text: string }
export interface NarrativeEntry {
  unitName: string;
  /** Empty when the unit gave only figures. */
  paragraphs: NarrativeParagraph[];
  /** The issuing department's own text: printed in the body, not again in Phụ lục III (its figures are). */
  isLead: boolean;
  figures: NarrativeFigureValue[];
  /** "Số liệu: đã tổ chức 12 hoạt động …" ('' without figures). */
  figuresLine: string;
  /** The unit's structured items on the section, a line each (item-rows.ts itemLine); Phụ lục III prints them under its text. */
  items: string[];
}

/** One structured item of a unit (item-rows.ts): the workbook's sheet of items has a row each. */
export interface ItemRow {
  unitCode: string;
  unitName: string;
  sectionId: string;
  /** "II.2. Khó khăn, tồn tại và nguyên nhân". */
  section: string;
  item: 'highlight' | 'difficulty' | 'proposal' | 'nomination';
  /** The kind in words ("Đề xuất, kiến nghị"). */
  kind: string;
  /** A difficulty's or proposal's category, a nominee's "Tập thể" / "Cá nhân" ('' for a highlight, or "Không có"). */
  category: string;
  /** A highlight's model or activity, a nominee's name. */
  name: string;
  /** A highlight's result, a difficulty's or proposal's text, a nominee's achievement; "Không có" when the unit said so. */
  text: string;
  /** A proposal's addressee ('' for other kinds). */
  addressee: string;
  none: boolean;
}
export interface NarrativeBlock {
  number: string;
  title: string;
  /** Every unit's text on the section, in roster order (Phụ lục III prints them, the lead's apart). */
  entries: NarrativeEntry[];
  empty: boolean;
  /** The issuing department's text, printed as the report's own paragraphs; empty when it wrote none. */
  lead: NarrativeParagraph[];
  /** The sums of the units' activity figures, and how many units gave them ('' when none did). */
  figures: string;
  /** How many other units wrote on it, by group of units, and where their texts are: as long for 30 units as for 3,000. */
  synthesis: string;
  /** What the units wrote, sentence by sentence with the units that wrote it (II.2, III, IV; synthesis.ts). */
  points: string[];
  /** A sub-item (1.1, 1.2) of the section above it. */
  sub: boolean;
  /** Its sub-items, printed after its own text (I.1: 1.1 and 1.2). */
  subsections: NarrativeBlock[];
  /** The analyst's own text for the item (nhan-dinh.md): printed instead of lead, figures and synthesis. */
  written: NarrativeParagraph[] | null;
}

/** Phụ lục III: the units' full texts, by section then by unit. */
export interface AppendixTextsModel {
  label: string;
  title: string;
  attached: string;
  intro: string;
  /**
   * Every section any unit wrote on, with every text, the lead's included (the workbook lists them all); `shown` when
   * units other than the lead wrote on it (the appendix prints those, without the lead's).
   */
  sections: { title: string; entries: NarrativeEntry[]; shown: boolean }[];
  /** Every activity figure of the catalog, in order: the workbook's text sheet gives each a column. */
  figureColumns: { id: string; label: string }[];
  /** Every unit's structured items, the issuing department's included: the workbook's sheet of items. */
  items: ItemRow[];
  /** Written as a document of its own (many units), not at the end of the report. */
  separate: boolean;
}

export interface AppendixRow {
  id: string;
  text: string;
  /** The standard's and criterion's cells: named on the first row of their group, continued below it. */
  standard: { text: string; first: boolean; last: boolean };
  criterion: { text: string; first: boolean; last: boolean };
  agencies: string[];
  results: string[];
  targets: string[];
  /** Added: judged twice, side by side: against the criterion's threshold and against the year's roadmap target. */
  thresholdVerdict: string;
  roadmapVerdict: string;
  verdict: string;
  verdictKey: Verdict;
  /** Added: the units it rests on when not all, a later milestone used, a change of target, queries and explanations. */
  notes: string[];
}

export interface UnitRow {
  index: number; code: string; name: string; state: string; stateKey: string; receivedAt: string; fileName: string;
  /** Whether the unit's figures are approved ('' without figures in force, or without review). */
  approval: string;
}

export interface HeaderModel {
  /** The parent body broken where officials break it ("ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HỒ CHÍ MINH"), one line each. */
  parentBodyLines: string[];
  parentBody: string; issuingBody: string; numberLine: string; nationalTitle: string; motto: string; placeDate: string }

export interface ResultsModel {
  number: string;
  title: string;
  overall: string;
  /** Added: the verdicts by kind of target, the indicators judged on part of the units, the 2030 goal, a reform, queries. */
  details: string[];
  /** Added: one line per indicator judged on fewer units than the roster expects ("20/22 đơn vị"). */
  incomplete: string[];
  /** The analyst's own text for the item (years/<year>/nhan-dinh.md): printed instead of overall and details. */
  written: NarrativeParagraph[] | null;
  /** Added: the indicators without a verdict until their impossible figures are explained or confirmed. */
  pendingTitle: string;
  pendingIntro: string;
  pending: string[];
  /** Progress toward the next milestone of the plan, for the indicators without a target of the year's own. */
  milestones: { title: string; intro: string; columns: string[]; rows: string[][] } | null;
  /** The chart as inline SVG (HTML) and as its figures (DOCX draws a native chart from them). */
  standardsChart: string;
  standardBars: StandardBar[];
  standardsCaption: string;
  areasTitle: string;
  areas: { text: string; standards: string[] }[];
  notMetTitle: string;
  notMet: string[];
  notMetNone: string;
  changesTitle: string;
  changes: string[];
  verdictChanges: string[];
  changesNone: string;
  trendText: string;
  trendChart: string;
  trendPoints: TrendBar[];
  trendCaption: string;
}

export interface AchievedModel {
  number: string;
  title: string;
  paragraphs: string[];
  /** The analyst's own text (nhan-dinh.md), printed instead of the drafted paragraphs. */
  written: NarrativeParagraph[] | null;
}

export interface DifficultiesModel {
  number: string;
  title: string;
  notMetIntro: string;
  notMet: string[];
  missingIntro: string;
  missing: string[];
  unitsIntro: string;
  narrative: NarrativeBlock;
  /** The analyst's own text (nhan-dinh.md), printed instead of everything above. */
  written: NarrativeParagraph[] | null;
}

export interface ClosingModel { recipientsLabel: string; recipients: string[]; authority: string; title: string; name: string }

export interface AppendixIndicatorsModel {
  label: string;
  title: string;
  attached: string;
  columns: string[];
  groups: { title: string; rows: AppendixRow[] }[];
  note: string;
}

export interface AppendixUnitsModel {
  label: string;
  title: string;
  attached: string;
  summary: string[];
  /** Above the profile's annexSeparateAbove: only the units late, rejected or missing, under this line. */
  listTitle: string;
  columns: string[];
  rows: UnitRow[];
}

export interface ReportModel {
  year: number;
  /** "DỰ THẢO" on a report that is not final (docs/review.md); null on the final one, or without review. */
  draftMark: string | null;
  nextYear: number;
  header: HeaderModel;
  docType: string;
  subject: string;
  canCu: string[];
  intro: string;
  partI: {
    heading: string;
    directing: NarrativeBlock;
    digital: NarrativeBlock;
    results: ResultsModel;
    week: NarrativeBlock;
    citizens: NarrativeBlock;
  };
  partII: {
    heading: string;
    achieved: AchievedModel;
    difficulties: DifficultiesModel;
  };
  partIII: { heading: string; narrative: NarrativeBlock };
  partIV: { heading: string; narrative: NarrativeBlock };
  /** Narratives of sections the outline does not know (an edited catalog, an older template): nothing is dropped. */
  otherNarratives: NarrativeBlock[];
  closingSentence: string;
  closing: ClosingModel;
  appendixI: AppendixIndicatorsModel;
  appendixII: AppendixUnitsModel;
  appendixIII: AppendixTextsModel;
  /** The local units' figures, unit by unit (appendix-by-unit.ts). */
  appendixByUnit: import('./appendix-by-unit.ts').AppendixByUnitModel;
  /** The units' proposals of commendation (null when none proposed any). */
  appendixCommendations: AppendixCommendationsModel | null;
}

/** Phụ lục V: who proposed whom for commendation, for what. */
export interface AppendixCommendationsModel {
  label: string;
  title: string;
  attached: string;
  intro: string;
  columns: string[];
  rows: { index: number; proposer: string; kind: string; name: string; achievement: string }[];
}
