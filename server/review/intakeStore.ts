// The patient's case and the interpreter's translation of it, in the database,
// saved on revisions (revisionedRows.ts).
import { intakeAnswersSchema, type IntakeAnswers } from '../../shared/intake';
import type { Database } from '../storage/database';
import { saveOnRevision } from './revisionedRows';

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
    saveOnRevision(this.#db, 'consult_intakes', consultId, baseRevision, { answers: JSON.stringify(answers), language }, this.#now());
    const saved = this.get(consultId);
    if (!saved) throw new Error('intake vanished right after saving');
    return saved;
  }

  /** Saves the interpreter's translation of the answers' revision `ofRevision`, made on `baseRevision` of the translation. */
  saveTranslation(
    consultId: string,
    translation: { answers: IntakeAnswers; language: string; translatorName: string; ofRevision: number },
    baseRevision: number,
  ): IntakeTranslationRecord {
    const values = {
      answers: JSON.stringify(translation.answers),
      language: translation.language,
      translator_name: translation.translatorName,
      of_revision: translation.ofRevision,
    };
    saveOnRevision(this.#db, 'intake_translations', consultId, baseRevision, values, this.#now());
    const saved = this.translation(consultId);
    if (!saved) throw new Error('intake translation vanished right after saving');
    return saved;
  }
}
