// The patient's case and the interpreter's translation of it, in the database.
// Each save names the revision it was made on; a save on top of a newer one is
// refused, so two people typing at once never silently overwrite each other.
import { intakeAnswersSchema, type IntakeAnswers } from '../../shared/intake';
import { Refusal } from '../../shared/refusals';
import type { Database } from '../storage/database';

export interface IntakeRecord {
  answers: IntakeAnswers;
  language: string;
  revision: number;
  updatedAt: number;
}

export interface IntakeTranslationRecord extends IntakeRecord {
  translatorName: string;
  ofRevision: number;
}

interface IntakeRow {
  answers: string;
  language: string;
  revision: number;
  updated_at: number;
}

interface TranslationRow extends IntakeRow {
  translator_name: string;
  of_revision: number;
}

function intakeOf(row: IntakeRow): IntakeRecord {
  // Stored by us after validation; parsed again so that a damaged row fails loudly, not half-shown.
  return { answers: intakeAnswersSchema.parse(JSON.parse(row.answers)), language: row.language, revision: row.revision, updatedAt: row.updated_at };
}

export class IntakeStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  get(consultId: string): IntakeRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM consult_intakes WHERE consult_id = ?').get(consultId) as IntakeRow | undefined;
    return row ? intakeOf(row) : undefined;
  }

  translation(consultId: string): IntakeTranslationRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM intake_translations WHERE consult_id = ?').get(consultId) as TranslationRow | undefined;
    return row ? { ...intakeOf(row), translatorName: row.translator_name, ofRevision: row.of_revision } : undefined;
  }

  /** Saves the patient's answers made on `baseRevision`; refuses with `edit-conflict` if someone saved since. */
  save(consultId: string, answers: IntakeAnswers, language: string, baseRevision: number): IntakeRecord {
    return this.#db.transaction(() => {
      const current = this.get(consultId)?.revision ?? 0;
      if (current !== baseRevision) throw staleEdit(current);
      this.#db
        .prepare(
          `INSERT INTO consult_intakes (consult_id, answers, language, revision, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (consult_id) DO UPDATE SET answers = excluded.answers, language = excluded.language,
             revision = excluded.revision, updated_at = excluded.updated_at`,
        )
        .run(consultId, JSON.stringify(answers), language, current + 1, this.#now());
      const saved = this.get(consultId);
      if (!saved) throw new Error('intake vanished right after saving');
      return saved;
    })();
  }

  /** Saves the interpreter's translation of the answers' revision `ofRevision`, made on `baseRevision` of the translation. */
  saveTranslation(
    consultId: string,
    translation: { answers: IntakeAnswers; language: string; translatorName: string; ofRevision: number },
    baseRevision: number,
  ): IntakeTranslationRecord {
    return this.#db.transaction(() => {
      const current = this.translation(consultId)?.revision ?? 0;
      if (current !== baseRevision) throw staleEdit(current);
      this.#db
        .prepare(
          `INSERT INTO intake_translations (consult_id, answers, language, translator_name, of_revision, revision, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (consult_id) DO UPDATE SET answers = excluded.answers, language = excluded.language,
             translator_name = excluded.translator_name, of_revision = excluded.of_revision,
             revision = excluded.revision, updated_at = excluded.updated_at`,
        )
        .run(consultId, JSON.stringify(translation.answers), translation.language, translation.translatorName, translation.ofRevision, current + 1, this.#now());
      const saved = this.translation(consultId);
      if (!saved) throw new Error('intake translation vanished right after saving');
      return saved;
    })();
  }
}

function staleEdit(current: number): Refusal {
  return new Refusal('edit-conflict', `this was changed meanwhile (now revision ${current}); load it again and reapply your changes`);
}
