// Rows written as people type (the patient's case, the opinion's draft, their
// translations): one per consult, each save naming the revision it was made
// on. A save on top of a newer revision is refused, so two writers never
// silently overwrite each other; the client merges and saves again.
import { Refusal } from '../../shared/refusals';
import type { Database } from '../storage/database';

export type RevisionedTable = 'consult_intakes' | 'intake_translations' | 'opinion_drafts' | 'opinion_translations';

/**
 * Writes `values` (column → value) as the consult's next revision, in a transaction, if its
 * revision is still `baseRevision` (0: none yet); throws `edit-conflict` otherwise.
 */
export function saveOnRevision(
  db: Database,
  table: RevisionedTable,
  consultId: string,
  baseRevision: number,
  values: Record<string, string | number>,
  now: number,
): void {
  db.transaction(() => {
    const row = db.prepare(`SELECT revision FROM ${table} WHERE consult_id = ?`).get(consultId) as { revision: number } | undefined;
    const current = row?.revision ?? 0;
    if (current !== baseRevision) {
      throw new Refusal('edit-conflict', `this was changed meanwhile (now revision ${current}); load it again and reapply your changes`);
    }
    const columns = [...Object.keys(values), 'revision', 'updated_at'];
    db.prepare(
      `INSERT INTO ${table} (consult_id, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})
       ON CONFLICT (consult_id) DO UPDATE SET ${columns.map((column) => `${column} = excluded.${column}`).join(', ')}`,
    ).run(consultId, ...Object.values(values), current + 1, now);
  })();
}
