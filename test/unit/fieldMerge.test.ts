// Two people writing one case at once: each field keeps whoever changed it.
import assert from 'node:assert/strict';
import { answeredCount } from '../../client/intake/intakeDraft';
import { mergeFields, sameFields } from '../../client/review/fieldMerge';
import { emptyIntakeAnswers } from '../../shared/intake';
import { withoutForbiddenCharacters } from '../../shared/plainText';

describe('writing the case from two places', () => {
  const base = { ...emptyIntakeAnswers, questions: 'Is it right?', medication: 'Tamoxifen' };

  it('keeps my changed fields and their changed fields alike', () => {
    const mine = { ...base, questions: 'Is the diagnosis right?' };
    const theirs = { ...base, allergies: 'Penicillin', medication: 'Tamoxifen 20 mg' };
    assert.deepEqual(mergeFields(base, mine, theirs), { ...base, questions: 'Is the diagnosis right?', allergies: 'Penicillin', medication: 'Tamoxifen 20 mg' });
  });

  it('prefers my version of a field we both changed (what I see on my screen is what is kept)', () => {
    const mine = { ...base, medication: 'Tamoxifen 20 mg daily' };
    const theirs = { ...base, medication: 'Tamoxifen, 20 mg' };
    assert.equal(mergeFields(base, mine, theirs).medication, 'Tamoxifen 20 mg daily');
  });

  it('takes a field I emptied as a change', () => {
    const mine = { ...base, medication: '' };
    assert.equal(mergeFields(base, mine, base).medication, '');
  });

  it('merges lists and choices as whole fields', () => {
    const draft = { urgency: null as string | null, documents: ['a'] };
    assert.deepEqual(mergeFields(draft, { ...draft, documents: ['a', 'b'] }, { ...draft, urgency: 'soon' }), { urgency: 'soon', documents: ['a', 'b'] });
  });

  it('counts answers with more than blanks, and compares every field', () => {
    assert.equal(answeredCount({ ...emptyIntakeAnswers, questions: '  ', history: 'since May' }), 1);
    assert.equal(sameFields(base, { ...base }), true);
    assert.equal(sameFields(base, { ...base, allergies: ' ' }), false);
  });

  it('drops invisible direction and control characters pasted into an answer, keeping line breaks and tabs', () => {
    assert.equal(withoutForbiddenCharacters('a\u202eb\u2066c\u0007d\ne\tf', true), 'abcd\ne\tf');
    assert.equal(withoutForbiddenCharacters('one\ntwo'), 'onetwo');
  });
});
