import { DIRECTION_LABELS as DIRECTIONS_VI, RATING_LABELS } from '../vi/labels.ts';
import type { CatalogAsks } from './asks.ts';

/** The catalog: what is measured (indicators and their input fields) and what must be reached (targets). */

export const FIELD_KINDS = ['percent', 'count', 'number', 'direction', 'rating', 'text'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** What a field contributes to its measure. */
export const FIELD_ROLES = ['value', 'num', 'den', 'male', 'female', 'total', 'rate', 'direction', 'evidence'] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

/** How a measure's value is obtained from its fields. */
export const DERIVES = ['percent', 'rate', 'ratio', 'number', 'rating'] as const;
export type Derive = (typeof DERIVES)[number];

export const COMPARATORS = ['>=', '<=', 'between', 'increase', 'decrease'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export const AGENCY_KINDS = ['department', 'association', 'media', 'panel', 'local', 'university'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** The Tăng/Giảm answers by the names the catalog uses (the words themselves live in src/vi/labels.ts). */
export const DIRECTION_LABELS = { up: DIRECTIONS_VI.increase, down: DIRECTIONS_VI.decrease } as const;
/** The five-level rating of the appendix, value → label. */
export { RATING_LABELS };

export interface Area { id: string; name: string; note: string }
export interface Standard { id: string; areaId: string; name: string; note: string }
export interface Criterion { id: string; standardId: string; name: string; note: string }
export interface Agency {
  code: string;
  name: string;
  kind: AgencyKind;
  /** The narrative sections its units are asked (agencies.csv `sections`); empty: every section open to all. */
  sections: string[];
}

export interface Field {
  id: string;
  /** null for the evidence/notes field every indicator has. */
  measureId: string | null;
  indicatorId: string;
  label: string;
  kind: FieldKind;
  unit: string;
  role: FieldRole;
}

export interface Measure {
  id: string;
  indicatorId: string;
  label: string;
  derive: Derive;
  unit: string;
  fields: Field[];
}

export interface Target {
  measureId: string;
  indicatorId: string;
  /** null: the criterion's own threshold, in force every year; a year: the city plan's roadmap target. */
  year: number | null;
  comparator: Comparator;
  value: number | null;
  valueMax: number | null;
  source: string;
  note: string;
}

export interface Indicator {
  id: string;
  criterionId: string;
  standardId: string;
  areaId: string;
  text: string;
  agencyCodes: string[];
  /** The appendix's agencies (indicators.csv), whatever the year's assignment (assignments.csv) says. */
  appendixAgencyCodes: string[];
  note: string;
  measures: Measure[];
  /** Every input field: the measures' fields, then the evidence field. */
  fields: Field[];
  targets: Target[];
}

export interface NarrativeSection {
  id: string;
  /** Where it goes in the report outline (I.1.1, I.1.2, I.2, I.4, I.5, II.2, III, IV). */
  reportSection: string;
  title: string;
  prompt: string;
  /** The only agencies asked it (narratives.csv `agencies`); empty: every agency without a list of its own. */
  agencies: string[];
  /** The activity figures asked beside the text (narrative_figures.csv), in file order. */
  figures: NarrativeFigure[];
}

/** A count a unit gives beside a narrative section; the report sums it over the units (whole numbers ≥ 0). */
export interface NarrativeFigure {
  /** narrativeFigureId(section, code). */
  id: string;
  sectionId: string;
  label: string;
  /** What is counted ("hoạt động", "lượt người"). */
  unit: string;
  /** How the report says the sum: "thu hút {n} lượt người tham gia". */
  phrase: string;
  source: string;
}

/**
 * A goal on the whole set of criteria, not reported by any unit: the plan's "Hoàn thành 100% tiêu chí, chỉ số" (000,
 * 2030). The report judges it from the score's roll-up.
 */
export interface Goal {
  id: string;
  year: number;
  /** What is counted: the share of criteria met. */
  scope: 'criteria';
  comparator: '>=';
  value: number;
  source: string;
  text: string;
  note: string;
}

export interface Catalog {
  /** Derived from the content of the structural files: changes whenever an id, wording or field changes. */
  version: string;
  areas: Area[];
  standards: Standard[];
  criteria: Criterion[];
  agencies: Agency[];
  indicators: Indicator[];
  narratives: NarrativeSection[];
  /** What the templates ask beyond the figures: structured items, lists, definitions, shared inputs (asks.ts). */
  asks: CatalogAsks;
  /** The plan's goals on the whole set of criteria (a profile's goals.csv). */
  goals: Goal[];
  indicatorById: Map<string, Indicator>;
  fieldById: Map<string, Field>;
  measureById: Map<string, Measure>;
  agencyByCode: Map<string, Agency>;
  criterionById: Map<string, Criterion>;
  standardById: Map<string, Standard>;
  areaById: Map<string, Area>;
  /** The year whose words fill the texts (null: the words in force now). */
  year: number | null;
  /** The period words in force for that year ({key} → text), for texts outside the catalog (profile, report). */
  words: Map<string, string>;
}
