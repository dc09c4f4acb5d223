// The released opinion as a PDF, read back with poppler's pdftotext: both
// languages' words are there (Arabic words still joined into the same letters,
// Cyrillic intact), with the fingerprint and page numbers. pdftotext orders an
// Arabic line sometimes visually and sometimes logically, so whole words are
// compared, never whole lines. Set OPINION_PDF_OUT to a folder to keep the PDFs
// and look at them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { format, opinionLabels, renderOpinionPdf, type OpinionPdfInput } from '../../server/review/opinionPdf';
import type { OpinionVersionView } from '../../shared/opinion';

const run = promisify(execFile);
// pdftotext marks where the direction changes (sometimes with no space around the mark): a mark,
// like punctuation glued to a word, is no part of it.
const splitter = /[\s.,;:()،؛\u200E\u200F\u202A-\u202E\u2066-\u2069]+/u;
const hash = 'c0ffee1234abcdef'.repeat(4);

const arabicVersion: OpinionVersionView = {
  version: 1,
  content: {
    caseSummary: 'A 52-year-old woman with a 1.8 cm invasive ductal carcinoma of the left breast, ER+/PR+, HER2-negative, node-negative after sentinel biopsy.',
    diagnosisAssessment: 'refined',
    specialistDiagnosis: 'Invasive ductal carcinoma, pT1c pN0 (sn), grade 2, ER+/PR+, HER2-negative (IHC 1+).',
    treatmentAssessment: 'alternative',
    treatmentRecommendation: 'Request an Oncotype DX test before deciding on chemotherapy; endocrine therapy for 5 years in any case.',
    furtherTests: 'Oncotype DX recurrence score on the surgical specimen.',
    urgency: 'soon',
    patientExplanation: 'Your diagnosis is right. The tumour is small and has not spread. A gene test (Oncotype DX) shows whether chemotherapy would help you.',
    reviewedDocumentIds: ['7f1e2f0a-6c1b-4f4e-9a51-0c8e1b2a3d4e', '0b9d6c2e-1a3f-4e5d-8c7b-6a5f4e3d2c1b'],
  },
  reviewedDocuments: [
    { id: '7f1e2f0a-6c1b-4f4e-9a51-0c8e1b2a3d4e', name: 'Pathology report (2026-02-11).pdf' },
    { id: '0b9d6c2e-1a3f-4e5d-8c7b-6a5f4e3d2c1b', name: 'تقرير الأشعة.pdf' },
  ],
  translation: {
    language: 'ar',
    translatorName: 'Layla Haddad',
    parts: {
      patientExplanation: 'تشخيصك صحيح. الورم صغير ولم ينتشر. يبيّن اختبار جيني (Oncotype DX) ما إذا كان العلاج الكيميائي سيفيدك.',
      specialistDiagnosis: 'سرطان الثدي القنوي الغازي، المرحلة pT1c pN0، الدرجة 2، مستقبلات الهرمونات إيجابية، HER2 سلبي.',
      treatmentRecommendation: 'اطلبي اختبار Oncotype DX قبل قرار العلاج الكيميائي؛ العلاج الهرموني لمدة 5 سنوات في كل الأحوال.',
      furtherTests: 'درجة خطر التكرار Oncotype DX على عينة الجراحة.',
    },
  },
  withoutTranslationReason: null,
  changeNote: null,
  signedBy: 'Dr. Anna Berger',
  releasedAt: '2026-03-04T10:30:00.000Z',
  contentHash: hash,
};

const russianVersion: OpinionVersionView = {
  version: 2,
  content: {
    caseSummary: 'Пациент 64 лет, аденокарцинома предстательной железы, сумма Глисона 7 (3+4), ПСА 8,2 нг/мл.',
    diagnosisAssessment: 'confirmed',
    specialistDiagnosis: '',
    treatmentAssessment: 'endorsed',
    treatmentRecommendation: '',
    furtherTests: 'МРТ малого таза через 12 месяцев.',
    urgency: 'routine',
    patientExplanation: 'Ваш диагноз поставлен верно. Предложенное лечение подходит вам.',
    reviewedDocumentIds: [],
  },
  reviewedDocuments: [],
  translation: null,
  withoutTranslationReason: null,
  changeNote: 'Добавлена рекомендация по МРТ.',
  signedBy: 'Д-р Иван Петров',
  releasedAt: '2026-05-20T08:00:00.000Z',
  contentHash: hash.split('').reverse().join(''),
};

function input(version: OpinionVersionView, patientLanguage: string, doctorLanguage: string, patientName: string): OpinionPdfInput {
  return {
    version,
    patientName,
    patientLabels: opinionLabels(patientLanguage),
    doctorLabels: opinionLabels(doctorLanguage),
    patientLanguage,
    doctorLanguage,
    languageNames: { patientLanguageInPatientLabels: patientLanguage === 'ar' ? 'العربية' : 'русский', doctorLanguageInPatientLabels: 'الإنجليزية' },
    timeZone: patientLanguage === 'ar' ? 'Asia/Amman' : null,
  };
}

describe('the opinion PDF', function () {
  this.timeout(60_000);
  let folder: string;
  before(() => {
    folder = process.env.OPINION_PDF_OUT ?? mkdtempSync(join(tmpdir(), 'consilium-opinion-pdf-'));
    mkdirSync(folder, { recursive: true });
  });
  after(() => {
    if (!process.env.OPINION_PDF_OUT) rmSync(folder, { recursive: true, force: true });
  });

  async function textOf(name: string, pdf: Buffer): Promise<{ text: string; words: Set<string> }> {
    const path = join(folder, name);
    writeFileSync(path, pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-']);
    return { text: stdout, words: new Set(stdout.split(splitter)) };
  }

  /** Every word of `phrase` (a label, in whichever language it is by now) is in the PDF. */
  function assertWords(found: { text: string; words: Set<string> }, phrase: string): void {
    for (const word of phrase.split(splitter).filter(Boolean)) assert.ok(found.words.has(word), `${word} (of "${phrase}") in\n${found.text}`);
  }

  it('has the Arabic translation and the English original, the fingerprint and page numbers', async () => {
    const pdf = await renderOpinionPdf(input(arabicVersion, 'ar', 'en', 'أمل منصور'));
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const found = await textOf('opinion-ar.pdf', pdf);
    assertWords(found, 'تشخيصك صحيح الكيميائي أمل منصور الأشعة العربية Layla Haddad');
    assertWords(found, 'Oncotype HER2 carcinoma chemotherapy Berger Pathology');
    const [arabic, english] = [opinionLabels('ar'), opinionLabels('en')];
    assertWords(found, `${arabic.title} ${arabic.diagnosisTitle} ${arabic.patientExplanation}`);
    assertWords(found, format(arabic.page, { page: 2, pages: 2 }));
    // The specialist's original, in their own words and labels.
    assert.ok(found.text.includes(english.caseSummary));
    assert.ok(found.text.includes(arabicVersion.content.furtherTests));
    assert.ok(found.text.includes(hash), 'the full fingerprint');
    assert.ok(found.text.includes('c0ff ee12 34ab cdef'), 'the grouped fingerprint in the header');
  });

  it('writes Russian, with the case summary and the change note in the first part when there is no translation', async () => {
    const pdf = await renderOpinionPdf(input(russianVersion, 'ru', 'ru', 'Ольга Смирнова'));
    const found = await textOf('opinion-ru.pdf', pdf);
    assertWords(found, 'Ольга Смирнова аденокарцинома диагноз МРТ Петров рекомендация');
    const russian = opinionLabels('ru');
    assert.ok(found.text.includes(russian.caseSummary));
    assert.ok(found.text.includes(format(russian.changeNote, { previous: 1, note: russianVersion.changeNote ?? '' })));
    assert.ok(found.text.includes(russianVersion.contentHash));
    assert.ok(found.text.includes(format(russian.page, { page: 1, pages: 1 })));
    const originalHeading = russian.original.split('{{')[0]?.trim();
    if (originalHeading) assert.ok(!found.text.includes(originalHeading), 'no second part without a translation');
  });
});

const chineseVersion: OpinionVersionView = {
  ...arabicVersion,
  translation: {
    language: 'zh',
    translatorName: 'Wang Fang',
    parts: {
      patientExplanation: '您的诊断是正确的。肿瘤很小，没有扩散。基因检测（Oncotype DX）可以显示化疗是否对您有帮助。',
      specialistDiagnosis: '浸润性导管癌，pT1c pN0，2级，激素受体阳性，HER2阴性。',
      treatmentRecommendation: '在决定化疗之前，请进行Oncotype DX检测；无论如何都要进行5年的内分泌治疗。',
      furtherTests: '手术标本的Oncotype DX复发评分。',
    },
  },
  reviewedDocuments: [arabicVersion.reviewedDocuments[0]!, { id: arabicVersion.content.reviewedDocumentIds[1]!, name: 'דוח רדיולוגיה.pdf' }],
};

describe('the opinion PDF in other scripts', function () {
  this.timeout(60_000);

  it('sets Chinese in a CJK font and a Hebrew file name in a Hebrew one, not in boxes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'consilium-opinion-pdf-'));
    try {
      const pdf = await renderOpinionPdf({
        ...input(chineseVersion, 'zh', 'en', '李娜'),
        languageNames: { patientLanguageInPatientLabels: '中文', doctorLanguageInPatientLabels: '英语' },
        timeZone: 'Asia/Shanghai',
      });
      const path = join(folder, 'opinion-zh.pdf');
      writeFileSync(path, pdf);
      const fonts = (await run('pdffonts', [path])).stdout;
      assert.match(fonts, /NotoSansCJKsc-Regular/, fonts);
      assert.match(fonts, /NotoSansHebrew/, fonts);
      const text = (await run('pdftotext', ['-enc', 'UTF-8', path, '-'])).stdout.replace(/\s+/g, '');
      for (const phrase of ['您的诊断是正确的', '李娜', '激素受体阳性', 'Oncotype']) assert.ok(text.includes(phrase), `${phrase} in\n${text}`);
      assert.ok(/דוח|חוד/.test(text), `the Hebrew file name in\n${text}`);
    } finally {
      if (!process.env.OPINION_PDF_OUT) rmSync(folder, { recursive: true, force: true });
      else writeFileSync(join(process.env.OPINION_PDF_OUT, 'opinion-zh.pdf'), readFileSync(join(folder, 'opinion-zh.pdf')));
    }
  });
});

describe('the opinion labels', () => {
  it('falls back to English for a language without the keys or without a file, and fills in placeholders', () => {
    assert.equal(opinionLabels('xx').title, opinionLabels('en').title);
    assert.equal(opinionLabels('../en').title, opinionLabels('en').title);
    assert.deepEqual(opinionLabels('ru-RU'), opinionLabels('ru'));
    assert.equal(format(opinionLabels('en').page, { page: 2, pages: 3 }), 'Page 2 of 3');
    assert.equal(format('{{missing}} {{name}}', { name: 'Amal' }), '{{missing}} Amal');
  });
});
