// The written second opinion in the database: the doctor's draft and the
// interpreter's translation, saved on revisions as they type
// (revisionedRows.ts), and the released versions, numbered from 1, hashed,
// and never changed (the table refuses updates).
import {
  opinionContentSchema,
  opinionTranslationPartsSchema,
  type OpinionContent,
  type OpinionTranslationParts,
} from '../../shared/opinion';
import type { Database } from '../storage/database';
import { opinionHash, releasedOpinionSchema, type ReleasedOpinion } from './opinionVersion';
import { saveOnRevision } from './revisionedRows';

export interface OpinionDraftRecord {
  content: OpinionContent;
  revision: number;
  updatedAt: number;
}

export interface OpinionTranslationRecord {
  parts: OpinionTranslationParts;
  /** The draft's translatable parts as they were when translated. */
  source: OpinionTranslationParts;
  language: string;
  translatorName: string;
  revision: number;
  updatedAt: number;
}

export interface OpinionVersionRecord {
  opinion: ReleasedOpinion;
  contentHash: string;
}

interface DraftRow {
  content: string;
  revision: number;
  updated_at: number;
}

interface TranslationRow {
  parts: string;
  source: string;
  language: string;
  translator_name: string;
  revision: number;
  updated_at: number;
}

interface VersionRow {
  body: string;
  content_hash: string;
}

export class OpinionStore {
  readonly #db: Database;
  readonly #now: () => number;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  draft(consultId: string): OpinionDraftRecord | undefined {
    const row = this.#db.prepare('SELECT content, revision, updated_at FROM opinion_drafts WHERE consult_id = ?').get(consultId) as DraftRow | undefined;
    return row ? { content: opinionContentSchema.parse(JSON.parse(row.content)), revision: row.revision, updatedAt: row.updated_at } : undefined;
  }

  saveDraft(consultId: string, content: OpinionContent, baseRevision: number): OpinionDraftRecord {
    saveOnRevision(this.#db, 'opinion_drafts', consultId, baseRevision, { content: JSON.stringify(content) }, this.#now());
    const saved = this.draft(consultId);
    if (!saved) throw new Error('opinion draft vanished right after saving');
    return saved;
  }

  translation(consultId: string): OpinionTranslationRecord | undefined {
    const row = this.#db.prepare('SELECT * FROM opinion_translations WHERE consult_id = ?').get(consultId) as TranslationRow | undefined;
    if (!row) return undefined;
    return {
      parts: opinionTranslationPartsSchema.parse(JSON.parse(row.parts)),
      source: opinionTranslationPartsSchema.parse(JSON.parse(row.source)),
      language: row.language,
      translatorName: row.translator_name,
      revision: row.revision,
      updatedAt: row.updated_at,
    };
  }

  saveTranslation(
    consultId: string,
    translation: { parts: OpinionTranslationParts; source: OpinionTranslationParts; language: string; translatorName: string },
    baseRevision: number,
  ): OpinionTranslationRecord {
    const values = {
      parts: JSON.stringify(translation.parts),
      source: JSON.stringify(translation.source),
      language: translation.language,
      translator_name: translation.translatorName,
    };
    saveOnRevision(this.#db, 'opinion_translations', consultId, baseRevision, values, this.#now());
    const saved = this.translation(consultId);
    if (!saved) throw new Error('opinion translation vanished right after saving');
    return saved;
  }

  /** Newest first. */
  versions(consultId: string): OpinionVersionRecord[] {
    const rows = this.#db.prepare('SELECT body, content_hash FROM opinion_versions WHERE consult_id = ? ORDER BY version DESC').all(consultId) as VersionRow[];
    return rows.map((row) => ({ opinion: releasedOpinionSchema.parse(JSON.parse(row.body)), contentHash: row.content_hash }));
  }

  /** The current version, without reading the older ones (the dashboard asks for every consult). */
  newest(consultId: string): OpinionVersionRecord | undefined {
    const row = this.#db.prepare('SELECT body, content_hash FROM opinion_versions WHERE consult_id = ? ORDER BY version DESC LIMIT 1').get(consultId) as VersionRow | undefined;
    return row ? { opinion: releasedOpinionSchema.parse(JSON.parse(row.body)), contentHash: row.content_hash } : undefined;
  }

  version(consultId: string, version: number): OpinionVersionRecord | undefined {
    const row = this.#db.prepare('SELECT body, content_hash FROM opinion_versions WHERE consult_id = ? AND version = ?').get(consultId, version) as VersionRow | undefined;
    return row ? { opinion: releasedOpinionSchema.parse(JSON.parse(row.body)), contentHash: row.content_hash } : undefined;
  }

  /** Releases the next version (numbered after the newest), hashed; what it holds is never changed afterwards. */
  release(consultId: string, opinion: Omit<ReleasedOpinion, 'consultId' | 'version' | 'releasedAt'>): OpinionVersionRecord {
    return this.#db.transaction(() => {
      const newest = this.#db.prepare('SELECT MAX(version) AS version FROM opinion_versions WHERE consult_id = ?').get(consultId) as { version: number | null };
      const releasedAt = this.#now();
      const released: ReleasedOpinion = { ...opinion, consultId, version: (newest.version ?? 0) + 1, releasedAt: new Date(releasedAt).toISOString() };
      const contentHash = opinionHash(released);
      this.#db
        .prepare('INSERT INTO opinion_versions (consult_id, version, body, content_hash, released_at) VALUES (?, ?, ?, ?, ?)')
        .run(consultId, released.version, JSON.stringify(released), contentHash, releasedAt);
      return { opinion: released, contentHash };
    })();
  }
}
