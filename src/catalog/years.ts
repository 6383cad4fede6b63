/**
 * Years that change shape: each year has its own roster, names, deadlines, "Căn cứ", recipients and targets
 * (years/<year>/), and keeps what was in force when its templates were generated (years/<year>/snapshot.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { LEVEL_KEY } from './periods.ts';
import { loadRoster, profileRosterStarting, rosterCsv, type Unit } from './roster.ts';
import type { Catalog } from './types.ts';
import { writeFileAtomic } from '../fs/atomic.ts';
import {
  deadlineFor, openWorkspace, profileDir, reportDeadlineFor, yearDir, PROFILE_IDS, ROSTER_FILE, SNAPSHOT_FILE, TARGETS_FILE, YEAR_CONFIG_FILE,
  type Profile, type ProfileId, type Workspace, type YearSnapshot,
} from './workspace.ts';

/** The workspace as it is for a year (the same object when it is already that year's view). */
export function workspaceForYear(ws: Workspace, year: number): Workspace {
  return ws.year === year ? ws : openWorkspace(ws.dir, { year });
}

export interface YearConfig {
  year: number;
  roster: Unit[];
  /** agency code → the name in force that year. */
  agencyNames: Record<string, string>;
  /** The units' deadline and the report's deadline (end of the day in Vietnam). */
  deadline: Date;
  reportDeadline: Date;
  canCu: string[];
  recipients: string[];
  profile: Profile;
  /** The catalog in the year's words, with the year's targets. */
  catalog: Catalog;
  /** The level of local government that reports ("cấp huyện", "cấp xã"). */
  level: string | null;
  /** Whether the year's templates were generated (its roster and names are then fixed by its snapshot). */
  frozen: boolean;
  sources: Workspace['sources'];
}

/** Everything that may differ by year, for the year asked. */
export function yearConfig(ws: Workspace, year: number): YearConfig {
  const y = workspaceForYear(ws, year);
  return {
    year,
    roster: y.roster,
    agencyNames: Object.fromEntries(y.catalog.agencies.map((a) => [a.code, a.name])),
    deadline: deadlineFor(y.profile, year),
    reportDeadline: reportDeadlineFor(y.profile, year),
    canCu: y.profile.canCu,
    recipients: y.profile.recipients,
    profile: y.profile,
    catalog: y.catalog,
    level: y.catalog.words.get(LEVEL_KEY) ?? null,
    frozen: y.sources.snapshot !== null,
    sources: y.sources,
  };
}

/** The name an indicator's text has in a year ("100% quận, huyện, thành phố Thủ Đức…" up to 2024, "100% xã, phường, đặc khu…" after). */
export function indicatorTextForYear(ws: Workspace, indicatorId: string, year: number): string | null {
  return workspaceForYear(ws, year).catalog.indicatorById.get(indicatorId)?.text ?? null;
}

/**
 * Keeps with the year what is in force now (roster, names, deadlines, "Căn cứ", recipients), so that editing the
 * workspace or another year later never changes this year's status, score or report. Written when the year's
 * templates are generated; an existing snapshot is kept (generate from `openWorkspace(dir, { year })`, which reads it),
 * unless it was found damaged (not JSON): it is then written anew from what is in force now.
 */
export function writeYearSnapshot(ws: Workspace, now = new Date()): string | null {
  if (ws.year === null) throw new Error('writeYearSnapshot needs a year view of the workspace');
  const file = path.join(yearDir(ws.dir, ws.year), SNAPSHOT_FILE);
  if (fs.existsSync(file) && ws.damagedSnapshot !== file) return null;
  const snapshot: YearSnapshot = {
    year: ws.year,
    catalogVersion: ws.catalog.version,
    writtenAt: now.toISOString(),
    profile: {
      ...ws.profile,
      reportDeadline: ws.profile.reportDeadline ?? ws.profile.deadline,
      agencyNames: Object.fromEntries(ws.catalog.agencies.map((a) => [a.code, a.name])),
    },
    roster: ws.roster.map((u) => ({ code: u.code, name: u.name, agencyCode: u.agencyCode, email: u.email, ...(u.note ? { note: u.note } : {}) })),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(snapshot, null, 2) + '\n');
  return file;
}

export interface Comparison {
  /** Both years have exactly the same units (codes and agencies). */
  sameUnits: boolean;
  /** Both years report through the same level of local government. */
  sameLevel: boolean;
  /**
   * The codes of the units that exist in both years with the same agency: the only ones whose figures pair up. Across a
   * change of the level of local government no local unit pairs: a 2025 commune is not the 2024 district that had its code.
   */
  commonUnits: string[];
  levels: [string | null, string | null];
}

/** Whether two years' figures can be compared unit by unit (a reform in between changes the units and the level). */
export function comparableYears(ws: Workspace, a: number, b: number): Comparison {
  const ya = yearConfig(ws, a);
  const yb = yearConfig(ws, b);
  const sameLevel = ya.level === yb.level;
  const key = (u: Unit) => `${u.code}\0${u.agencyCode}`;
  const inB = new Set(yb.roster.filter((u) => sameLevel || u.agencyKind !== 'local').map(key));
  const common = ya.roster.filter((u) => inB.has(key(u))).map((u) => u.code);
  return {
    sameUnits: common.length === ya.roster.length && common.length === yb.roster.length,
    sameLevel,
    commonUnits: common,
    levels: [ya.level, yb.level],
  };
}

/** Whether a unit's figures of one year may be shown or paired with the same code's figures of another year. */
export function sameUnitInYears(ws: Workspace, code: string, a: number, b: number): boolean {
  return comparableYears(ws, a, b).commonUnits.includes(code);
}

export interface NewYearResult {
  dir: string;
  written: string[];
  from: number;
  /** Set when the level of local government differs from the previous year's. */
  levelChange: [string | null, string | null] | null;
  /** The profile's roster the year started from (its reorganisation: merged departments, new units), if not last year's. */
  rosterFrom: string | null;
}

/**
 * The roster a new year starts from: the profile's own list for that year when it has one (the 2025 mergers: Sở Lao
 * động - Thương binh và Xã hội and Sở Kế hoạch và Đầu tư are gone), with the e-mails last year's units of the same code
 * had; else last year's roster.
 */
function startingRoster(ws: Workspace, year: number, prev: Unit[]): { units: Unit[]; from: string | null } {
  const id = ws.profile.id;
  const file = (PROFILE_IDS as readonly string[]).includes(id) ? profileRosterStarting(profileDir(id as ProfileId), year) : null;
  if (!file) return { units: prev, from: null };
  const emails = new Map(prev.map((u) => [u.code, u.email]));
  const units = loadRoster(file, workspaceForYear(ws, year).catalog).map((u) => ({ ...u, email: u.email || (emails.get(u.code) ?? '') }));
  return { units, from: file };
}

/**
 * Starts a year from the previous one: its own files (or, when it had none, the roster then in force and its
 * deadlines) are copied into years/<year>/ for the analyst to edit.
 */
export function startNewYear(ws: Workspace, year: number, force: boolean): NewYearResult {
  const from = year - 1;
  const dest = yearDir(ws.dir, year);
  const names = [ROSTER_FILE, YEAR_CONFIG_FILE, TARGETS_FILE];
  const present = names.filter((n) => fs.existsSync(path.join(dest, n)));
  if (present.length && !force) throw new UserError(`Năm ${year} đã có ${present.map((n) => path.join(dest, n)).join(', ')}: không ghi đè. Thêm --force để ghi đè.`);
  if (fs.existsSync(path.join(dest, SNAPSHOT_FILE))) throw new UserError(`Năm ${year} đã tạo biểu mẫu (có ${path.join(dest, SNAPSHOT_FILE)}): không bắt đầu lại năm này.`);
  const prev = yearConfig(ws, from);
  const next = yearConfig(ws, year);
  fs.mkdirSync(dest, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    writeFileAtomic(path.join(dest, name), text);
    written.push(path.join(dest, name));
  };
  const prevDir = yearDir(ws.dir, from);
  const prevFile = (n: string) => (fs.existsSync(path.join(prevDir, n)) ? path.join(prevDir, n) : null);
  const roster = startingRoster(ws, year, prev.roster);
  write(ROSTER_FILE, rosterCsv(roster.units));
  const cfg = prevFile(YEAR_CONFIG_FILE);
  write(YEAR_CONFIG_FILE, cfg ? fs.readFileSync(cfg, 'utf8') : JSON.stringify({
    deadline: prev.profile.deadline, reportDeadline: prev.profile.reportDeadline ?? prev.profile.deadline, documentNumber: '',
  }, null, 2) + '\n');
  const targets = prevFile(TARGETS_FILE);
  if (targets) write(TARGETS_FILE, fs.readFileSync(targets, 'utf8'));
  return { dir: dest, written, from, levelChange: prev.level !== next.level ? [prev.level, next.level] : null, rosterFrom: roster.from };
}

/** Replaces the roster kept in a year's snapshot (the analyst re-imported the year's list on purpose). */
export function replaceSnapshotRoster(ws: Workspace, year: number, units: Unit[]): boolean {
  const file = path.join(yearDir(ws.dir, year), SNAPSHOT_FILE);
  if (!fs.existsSync(file)) return false;
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as YearSnapshot;
  snap.roster = units.map((u) => ({ code: u.code, name: u.name, agencyCode: u.agencyCode, email: u.email, ...(u.note ? { note: u.note } : {}) }));
  writeFileAtomic(file, JSON.stringify(snap, null, 2) + '\n');
  return true;
}
