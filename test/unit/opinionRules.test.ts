// What an opinion needs before release, when it needs a translation, and the
// canonical form its hash is taken of.
import assert from 'node:assert/strict';
import { missingForRelease, translationCovers, translationNeeded } from '../../shared/opinionRules';
import { canonicalJson } from '../../server/review/opinionVersion';
import { emptyOpinionContent, emptyTranslationParts, translatablePartsOf, type OpinionContent } from '../../shared/opinion';

const complete: OpinionContent = {
  ...emptyOpinionContent,
  diagnosisAssessment: 'confirmed',
  treatmentAssessment: 'endorsed',
  urgency: 'routine',
  patientExplanation: 'The diagnosis and the plan are right.',
};

describe('opinion rules', () => {
  it('releases a confirmed, endorsed opinion with an urgency and a plain explanation', () => {
    assert.deepEqual(missingForRelease(complete), []);
  });

  it('names each thing missing', () => {
    assert.equal(missingForRelease(emptyOpinionContent).length, 4);
    assert.deepEqual(missingForRelease({ ...complete, diagnosisAssessment: 'changed' }), ['specialistDiagnosis']);
    assert.deepEqual(missingForRelease({ ...complete, diagnosisAssessment: 'changed', specialistDiagnosis: 'Stage IIA' }), []);
    assert.deepEqual(missingForRelease({ ...complete, treatmentAssessment: 'alternative' }), ['treatmentRecommendation']);
    assert.deepEqual(missingForRelease({ ...complete, patientExplanation: '   ' }), ['patientExplanation']);
  });

  it('asks for a translation only when the two sides of the interpretation are different languages', () => {
    assert.equal(translationNeeded({ from: 'ar', to: 'de' }), true);
    assert.equal(translationNeeded({ from: 'en-GB', to: 'en' }), false);
    assert.equal(translationNeeded(null), false);
  });

  it('takes a translation as covering the opinion only for the same wording with every written part translated', () => {
    const source = translatablePartsOf(complete);
    const parts = { ...emptyTranslationParts, patientExplanation: 'التشخيص والخطة صحيحان.' };
    assert.equal(translationCovers(complete, source, parts), true);
    assert.equal(translationCovers({ ...complete, patientExplanation: 'Changed.' }, source, parts), false);
    assert.equal(translationCovers({ ...complete, furtherTests: 'A scan.' }, { ...source, furtherTests: 'A scan.' }, parts), false, 'a written part left untranslated');
  });

  it('writes one canonical JSON whatever the key order', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] }), '{"a":[{"c":"x","d":null}],"b":1}');
    assert.equal(canonicalJson({ a: 1, b: undefined }), canonicalJson({ a: 1 }));
  });
});
