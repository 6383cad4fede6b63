/**
 * The store stage of one file: the submission written (or previewed in a dry run) with its values and findings as data,
 * and what the store answered (stored, or the same file stored before); --replace on a held file confirms it.
 */
import path from 'node:path';
import type { Workspace } from '../catalog/workspace.ts';
import { inert } from '../findings/inert.ts';
import { storedParams } from '../findings/stored.ts';
import type { RecordOutcome } from '../store/store.ts';
import type { FileCheck } from './check.ts';
import type { BatchContext, FilePart } from './one-file.ts';
import { reviewSeen, type Decision } from './resubmission.ts';
import type { FileResult } from './types.ts';

const STATUS_WORDS: Record<string, string> = { accepted: 'đã nhận', rejected: 'bị từ chối', superseded: 'đã được thay thế', held: 'đang tạm giữ' };

/** Stores the file; 'done' when nothing more is to be done for it (a duplicate, or a held file just confirmed). */
export async function storeFile(
  c: BatchContext, ws: Workspace, part: FilePart, result: FileResult, check: FileCheck, decision: Decision, kind: 'xlsx' | 'csv',
): Promise<'stored' | 'done'> {
  // Approved figures and locked years change only with an approver's confirmation (resubmission.ts, docs/review.md).
  const review = c.db && decision !== 'rejected' ? await reviewSeen(c.db, result.unit!, result.year!) : null;
  const status = c.policy.afterReview(decision, review);
  if (review?.frozen && !c.policy.force) result.frozen = review.frozen;
  const submission = {
    unitCode: result.unit!, year: result.year!, fileName: c.replay?.fileName ?? path.basename(part.path), sha256: result.sha256,
    archivePath: result.archivePath ? path.relative(ws.dir, result.archivePath) : '', sourceKind: kind,
    catalogVersion: check.identity?.catalogVersion ?? null, templateVersion: check.identity?.templateVersion ?? null,
    receivedAt: result.receivedAt!, ingestedAt: c.ingestedAt, errorCount: result.errors, warningCount: result.warnings,
    status, user: c.user, label: part.label, expectedYear: c.year ?? null, seenRev: review?.rev, force: c.policy.forcing(review),
  } as const;
  const db = c.db;
  const outcome: RecordOutcome = !db
    ? { kind: 'stored', submissionId: null, supersedes: null }
    : c.dryRun ? await db.previewSubmission(submission) : await db.recordSubmission({ ...submission, ...toStore(check) });
  if (outcome.kind === 'duplicate' && db && !c.dryRun && c.policy.confirmsHeld(outcome) && !result.frozen) {
    const put = await db.putInForce(outcome.submissionId, 'confirmation', c.user, undefined, c.policy.forcing(review));
    result.submissionId = outcome.submissionId;
    result.supersedes = put.changed && put.out ? { submissionId: put.out.id, file: put.out.fileName } : null;
    return 'done';
  }
  if (outcome.kind === 'duplicate') {
    result.status = 'duplicate';
    result.duplicateOf = { submissionId: outcome.submissionId, status: outcome.status };
    // The same file as a submission no longer in force: it can be put back, and the message says how.
    if (outcome.status === 'superseded' || outcome.status === 'held') result.hint = ['restore', String(outcome.submissionId)];
    result.reason = `đã nhập trước đó (lần nhập #${outcome.submissionId}, tệp ${inert(outcome.fileName)}, ${STATUS_WORDS[outcome.status] ?? outcome.status}): không thay đổi gì`;
    return 'done';
  }
  result.submissionId = outcome.submissionId;
  result.supersedes = outcome.supersedes;
  result.held = status === 'held';
  return 'stored';
}

function toStore(check: FileCheck) {
  return {
    values: check.values.map((v) => ({
      fieldId: v.entry.fieldId, indicatorId: v.entry.indicatorId, raw: v.raw, num: v.num, text: v.text,
      sheet: v.loc.sheet, cell: v.loc.cell, line: v.loc.line, note: v.note,
    })),
    messages: check.messages.map((m) => ({
      severity: m.severity, code: m.code, sheet: m.sheet, cell: m.cell, line: m.line, indicatorId: m.indicator,
      fieldId: m.field, valueSeen: m.value, expected: m.expected, text: m.text, params: storedParams(m),
    })),
    narratives: check.narratives,
    items: check.items,
    contact: check.contact,
  };
}
