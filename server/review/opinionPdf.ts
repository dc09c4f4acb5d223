// A released written second opinion as a PDF the patient can keep and hand to
// their own doctor: first everything in the patient's language (the interpreter's
// translation where there is one), then, when translated, the specialist's
// original in the specialist's language. Every page names the version's
// fingerprint, so a printout can be matched to the version on the page.
import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { z } from 'zod';
import { translatablePartsOf, type OpinionTranslationParts, type OpinionVersionView } from '../../shared/opinion';
import { drawText, ensureSpace, fontPaths, languageDirection, registerFonts, type Column, type TextStyle } from './pdfText';

// The words: the 'opinion' part of the client's locale files, so the PDF says
// what the page says. A language without a file, or a key not translated yet,
// falls back to English key by key.
const text = z.string();
const labelsSchema = z.object({
  title: text, forPatient: text, fromDoctor: text, caseSummary: text, diagnosisTitle: text, specialistDiagnosis: text,
  diagnosisAssessment: z.object({ confirmed: text, refined: text, changed: text }),
  diagnosisMeaning: z.object({ confirmed: text, refined: text, changed: text }),
  treatmentTitle: text, treatmentRecommendation: text, furtherTests: text, urgencyTitle: text, patientExplanation: text,
  treatmentAssessment: z.object({ endorsed: text, alternative: text }),
  treatmentMeaning: z.object({ endorsed: text, alternative: text }),
  urgency: z.object({ routine: text, soon: text, urgent: text }),
  reviewedDocuments: text, noDocuments: text, signed: text, version: text, fingerprint: text, translatedBy: text,
  withoutTranslation: text, changeNote: text, original: text, notWritten: text, page: text, disclaimer: text,
});
export type OpinionLabels = z.infer<typeof labelsSchema>;

const localesFolder = new URL('../../client/i18n/locales/', import.meta.url);
// A language tag names a file: nothing but letters, digits and hyphens may reach the path.
const safeTag = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

function opinionPartOf(language: string): unknown {
  if (!safeTag.test(language)) return undefined;
  try {
    const locale: unknown = JSON.parse(readFileSync(new URL(`${language}.json`, localesFolder), 'utf8'));
    return locale !== null && typeof locale === 'object' && 'opinion' in locale ? locale.opinion : undefined;
  } catch {
    return undefined;
  }
}

/** English's shape, with every string `translated` has in its place. */
function merged(english: unknown, translated: unknown): unknown {
  if (typeof english === 'string') return typeof translated === 'string' && translated.trim() ? translated : english;
  if (english === null || typeof english !== 'object') return english;
  const other = translated !== null && typeof translated === 'object' ? (translated as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(english).map(([key, value]) => [key, merged(value, other[key])]));
}

const cache = new Map<string, OpinionLabels>();

/** The labels in `language` ('pt-BR' falls back to 'pt', then to English). */
export function opinionLabels(language: string): OpinionLabels {
  const known = cache.get(language);
  if (known) return known;
  const english = opinionPartOf('en');
  const translated = opinionPartOf(language) ?? opinionPartOf(language.split('-')[0] ?? '');
  const labels = labelsSchema.parse(merged(english, translated));
  cache.set(language, labels);
  return labels;
}

/** "For {{name}}" with { name: 'Amal' } → "For Amal"; a placeholder without a value stays as it is. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (placeholder, key: string) => (key in values ? String(values[key]) : placeholder));
}

export interface OpinionPdfInput {
  version: OpinionVersionView;
  patientName: string;
  /** Labels in the patient's language and in the doctor's (the 'opinion' subtree of client/i18n/locales/<lang>.json) */
  patientLabels: OpinionLabels;
  doctorLabels: OpinionLabels;
  patientLanguage: string;
  doctorLanguage: string;
  /** Display names of languages for "Translated into {{language}}" etc., already localized */
  languageNames: { patientLanguageInPatientLabels: string; doctorLanguageInPatientLabels: string };
  /** The patient's time zone for dates, where known (else UTC). */
  timeZone: string | null;
}

const margins = { top: 56, bottom: 72, left: 64, right: 64 };
const body = 11;
const grey = '#555555';

// First strong isolate … pop directional isolate: a name or a note in another script keeps its
// own direction inside a sentence instead of reordering the words around it.
const isolate = (value: string | number) => `\u2068${value}\u2069`;

function say(template: string, values: Record<string, string | number>): string {
  return format(template, Object.fromEntries(Object.entries(values).map(([key, value]) => [key, isolate(value)])));
}

/** The grouped start of the hash for the header ("3f2a 9c01 …"); the footer has all of it. */
function shortFingerprint(hash: string): string {
  return (hash.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

/** In the patient's time zone where the doctor recorded it (else UTC), with the zone named. */
function formatDate(iso: string, language: string, timeZone: string | null): string {
  const options: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: timeZone ?? 'UTC', timeZoneName: 'short' };
  try {
    return new Date(iso).toLocaleString(language, options);
  } catch {
    return new Date(iso).toLocaleString('en', options);
  }
}

/** Where the next line goes, and which side the page's lines start from. */
interface Pen {
  doc: PDFKit.PDFDocument;
  y: number;
  column: Column;
  side: 'left' | 'right';
}

function line(pen: Pen, text: string, style: TextStyle): void {
  pen.y = drawText(pen.doc, text, pen.column, pen.y, { align: pen.side, direction: 'auto', ...style });
}

function heading(pen: Pen, text: string, size = 13): void {
  // Never a heading alone at the foot of a page: room for it and two lines after it.
  pen.y = ensureSpace(pen.doc, pen.y + size * 0.9, size * 2 + body * 4);
  line(pen, text, { size, bold: true });
  pen.y += 2;
}

/** Text someone wrote, in `language`: its paragraphs take that language's direction and side. */
function written(pen: Pen, text: string, language: string, labels: OpinionLabels): void {
  if (!text.trim()) return line(pen, labels.notWritten, { size: body });
  pen.y = drawText(pen.doc, text, pen.column, pen.y, { size: body, direction: languageDirection(language) });
}

function rule(pen: Pen): void {
  pen.y += 8;
  pen.doc.moveTo(pen.column.left, pen.y).lineTo(pen.column.right, pen.y).lineWidth(0.5).strokeColor('#999999').stroke();
  pen.y += 8;
}

/** What a part says, in which words, and in which language its free text is. */
interface Part {
  labels: OpinionLabels;
  texts: OpinionTranslationParts;
  textLanguage: string;
  caseSummary: boolean;
}

function content(pen: Pen, input: OpinionPdfInput, part: Part): void {
  const { labels, texts, textLanguage } = part;
  const opinion = input.version.content;
  if (part.caseSummary) {
    heading(pen, labels.caseSummary);
    written(pen, opinion.caseSummary, input.doctorLanguage, labels);
  }
  heading(pen, labels.diagnosisTitle);
  if (opinion.diagnosisAssessment) {
    line(pen, labels.diagnosisAssessment[opinion.diagnosisAssessment], { size: body, bold: true });
    line(pen, labels.diagnosisMeaning[opinion.diagnosisAssessment], { size: body });
  }
  if (texts.specialistDiagnosis.trim() || opinion.diagnosisAssessment !== 'confirmed') {
    heading(pen, labels.specialistDiagnosis, body);
    written(pen, texts.specialistDiagnosis, textLanguage, labels);
  }
  heading(pen, labels.treatmentTitle);
  if (opinion.treatmentAssessment) {
    line(pen, labels.treatmentAssessment[opinion.treatmentAssessment], { size: body, bold: true });
    line(pen, labels.treatmentMeaning[opinion.treatmentAssessment], { size: body });
  }
  if (texts.treatmentRecommendation.trim() || opinion.treatmentAssessment === 'alternative') {
    heading(pen, labels.treatmentRecommendation, body);
    written(pen, texts.treatmentRecommendation, textLanguage, labels);
  }
  heading(pen, labels.furtherTests);
  written(pen, texts.furtherTests, textLanguage, labels);
  heading(pen, labels.urgencyTitle);
  line(pen, opinion.urgency ? labels.urgency[opinion.urgency] : labels.notWritten, { size: body, bold: opinion.urgency === 'urgent' });
  heading(pen, labels.patientExplanation);
  written(pen, texts.patientExplanation, textLanguage, labels);
}

/** What changed, which documents, who signed: the same in both parts, each in its labels. */
function particulars(pen: Pen, input: OpinionPdfInput, labels: OpinionLabels, language: string): void {
  const { version } = input;
  if (version.version >= 2 && version.changeNote) {
    pen.y += 8;
    line(pen, say(labels.changeNote, { previous: version.version - 1, note: version.changeNote }), { size: body });
  }
  heading(pen, labels.reviewedDocuments);
  if (version.reviewedDocuments.length === 0) line(pen, labels.noDocuments, { size: body });
  // The page's direction with the name isolated: the bullet stays on the page's side.
  for (const document of version.reviewedDocuments) {
    line(pen, `•  ${isolate(document.name)}`, { size: body, direction: pen.side === 'right' ? 'rtl' : 'ltr' });
  }
  pen.y += 10;
  line(pen, say(labels.signed, { name: version.signedBy, date: formatDate(version.releasedAt, language, input.timeZone) }), { size: body, bold: true });
}

function header(pen: Pen, input: OpinionPdfInput): void {
  const labels = input.patientLabels;
  const { version } = input;
  line(pen, labels.title, { size: 22, bold: true });
  pen.y += 4;
  line(pen, say(labels.forPatient, { name: input.patientName }), { size: 12 });
  line(pen, say(labels.fromDoctor, { name: version.signedBy }), { size: 12 });
  const versionLine = `${say(labels.version, { version: version.version })} · ${isolate(formatDate(version.releasedAt, input.patientLanguage, input.timeZone))}`;
  line(pen, versionLine, { size: 10, color: grey });
  line(pen, say(labels.fingerprint, { hash: shortFingerprint(version.contentHash) }), { size: 10, color: grey });
  rule(pen);
}

function footers(doc: PDFKit.PDFDocument, input: OpinionPdfInput, column: Column): void {
  const range = doc.bufferedPageRange();
  const labels = input.patientLabels;
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    let y = doc.page.height - margins.bottom + 16;
    const style = { size: 8, color: grey, align: 'center', breakPages: false } as const;
    y = drawText(doc, say(labels.fingerprint, { hash: input.version.contentHash }), column, y, style);
    drawText(doc, say(labels.page, { page: index + 1, pages: range.count }), column, y, { ...style, size: 9 });
  }
}

export async function renderOpinionPdf(input: OpinionPdfInput): Promise<Buffer> {
  const missing = fontPaths.filter((path) => !existsSync(path));
  if (missing.length > 0) throw new Error(`fonts for the opinion PDF are missing (${missing.join(', ')}): install Debian's fonts-noto-core and fonts-noto-cjk (npm run setup does)`);
  const { version } = input;
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    lang: input.patientLanguage,
    displayTitle: true,
    info: {
      Title: `${input.patientLabels.title}: ${input.patientName} (${format(input.patientLabels.version, { version: version.version })})`,
      Author: version.signedBy,
      CreationDate: new Date(version.releasedAt),
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  registerFonts(doc);
  const column = { left: margins.left, right: doc.page.width - margins.right };
  const pen: Pen = { doc, y: margins.top, column, side: languageDirection(input.patientLanguage) === 'rtl' ? 'right' : 'left' };
  const { patientLabels, doctorLabels } = input;
  const { translation } = version;

  header(pen, input);
  content(pen, input, {
    labels: patientLabels,
    texts: translation?.parts ?? translatablePartsOf(version.content),
    textLanguage: translation?.language ?? input.doctorLanguage,
    caseSummary: !translation,
  });
  pen.y += 12;
  if (translation) {
    const language = input.languageNames.patientLanguageInPatientLabels;
    line(pen, say(patientLabels.translatedBy, { language, name: translation.translatorName }), { size: 10, color: grey });
  } else if (version.withoutTranslationReason) {
    line(pen, say(patientLabels.withoutTranslation, { reason: version.withoutTranslationReason }), { size: 10, color: grey });
  }
  particulars(pen, input, patientLabels, input.patientLanguage);
  pen.y += 12;
  line(pen, patientLabels.disclaimer, { size: 9, color: grey });

  if (translation) {
    doc.addPage();
    const original: Pen = { doc, y: margins.top, column, side: languageDirection(input.doctorLanguage) === 'rtl' ? 'right' : 'left' };
    // The heading is still the patient's: on their side of the page.
    const originalHeading = say(patientLabels.original, { language: input.languageNames.doctorLanguageInPatientLabels });
    line(original, originalHeading, { size: 18, bold: true, align: pen.side });
    rule(original);
    content(original, input, { labels: doctorLabels, texts: translatablePartsOf(version.content), textLanguage: input.doctorLanguage, caseSummary: true });
    particulars(original, input, doctorLabels, input.doctorLanguage);
  }

  footers(doc, input, column);
  doc.end();
  return finished;
}
