// Times shown in another person's zone: the weekday appears when the day
// there is not the reader's, in every language we offer, without Intl
// refusing the combination of options (which once blanked the consult page).
import assert from 'node:assert/strict';
import { differsFromHere, formatDateTime, formatTimeIn, timeZoneName } from '../../client/i18n/dateTime';
import { languages } from '../../client/i18n/resources';

const lateEvening = '2026-12-01T22:30:00Z'; // Tuesday in London, already Wednesday in Tokyo
const noon = '2026-12-01T12:00:00Z';

describe('dates and times in two zones', () => {
  it('adds the weekday only when the day there is not the reader’s', () => {
    assert.equal(formatTimeIn(lateEvening, 'en-GB', 'Asia/Tokyo', 'Europe/London'), 'Wed 07:30');
    assert.equal(formatTimeIn(noon, 'en-GB', 'Asia/Tokyo', 'Europe/London'), '21:00');
    assert.equal(formatTimeIn(noon, 'en-US', 'America/New_York', 'Europe/London'), '7:00 AM');
    assert.equal(formatTimeIn(lateEvening, 'de', 'America/Los_Angeles', 'Asia/Tokyo'), 'Di., 14:30');
  });

  it('formats in every offered language, on either side of midnight', () => {
    for (const language of languages) {
      for (const [zone, reader] of [
        ['Asia/Tokyo', 'Europe/London'],
        ['Pacific/Honolulu', 'Asia/Dubai'],
        ['Europe/Berlin', 'Europe/Berlin'],
      ] as const) {
        for (const at of [lateEvening, noon]) {
          assert.match(formatTimeIn(at, language, zone, reader), /\p{Nd}/u, `${language} ${zone} from ${reader} at ${at}`);
          assert.match(formatDateTime(at, language, zone), /2026|٢٠٢٦/, `${language}: the full date`);
        }
      }
      assert.ok(timeZoneName('Asia/Tokyo', language, noon).length > 0);
    }
  });

  it('tells whether the other zone’s clock differs from the reader’s', () => {
    assert.equal(differsFromHere(noon, 'Europe/Paris', 'Europe/Berlin'), false);
    assert.equal(differsFromHere(noon, 'Europe/London', 'Europe/Berlin'), true);
    assert.equal(differsFromHere(noon, null, 'Europe/Berlin'), false);
  });
});
