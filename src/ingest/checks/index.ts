/**
 * The checks of a file, in the order they run (in the manner of frictionless-py's checks): each is a module with the
 * codes it may raise and one function. 'file' checks judge the file as read; then the values are normalised
 * (values.ts) and the 'values' checks judge them.
 */
import { batchDuplicate } from './batch.ts';
import { blank } from './blank.ts';
import { evidence } from './evidence.ts';
import { fields } from './fields.ts';
import { identity } from './identity.ts';
import { layout } from './layout.ts';
import { measures } from './measures.ts';
import { missing } from './missing.ts';
import { outliers } from './outliers.ts';
import { placeholders } from './placeholders.ts';
import { sender, signature } from './provenance.ts';
import { queries } from './queries.ts';
import { titles } from './titles.ts';
import type { Check } from './state.ts';

// The batch and provenance checks come first: a second file of a unit stops before any other finding, and where a
// file comes from is said even of a file refused later.
export const CHECKS: readonly Check[] = [batchDuplicate, signature, sender, identity, titles, fields, layout, blank, measures, outliers, queries, evidence, placeholders, missing];
