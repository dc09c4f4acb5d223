// The time zones a doctor picks the patient's from: each zone once (Intl's
// list and the doctor's own zone can name one zone twice, under an old and a
// new name), sorted, the doctor's own included.
import assert from 'node:assert/strict';
import { knownTimeZones } from '../../client/consults/TimeZoneField';
import { browserTimeZone } from '../../client/i18n/dateTime';

describe('the time zones offered when scheduling', () => {
  it('lists every zone once, sorted, with the doctor’s own', () => {
    const zones = knownTimeZones();
    assert.equal(new Set(zones).size, zones.length, 'no zone twice');
    assert.deepEqual(zones, [...zones].sort());
    assert.ok(zones.includes(new Intl.DateTimeFormat('en', { timeZone: browserTimeZone() }).resolvedOptions().timeZone));
    for (const zone of ['Asia/Amman', 'Europe/Berlin', 'America/New_York']) assert.ok(zones.includes(zone), zone);
    assert.ok(zones.length > 300, `${zones.length} zones`);
  });

  it('names a zone once when the browser lists it under an old and a new name', () => {
    const supportedValuesOf = Intl.supportedValuesOf;
    // Some browsers list Asia/Kolkata and report Asia/Calcutta (or the reverse): one zone.
    Intl.supportedValuesOf = ((key: 'timeZone') => (key === 'timeZone' ? ['Asia/Kolkata', 'Asia/Calcutta', 'Europe/Berlin'] : [])) as typeof Intl.supportedValuesOf;
    try {
      const zones = knownTimeZones();
      assert.equal(zones.filter((zone) => zone === 'Asia/Kolkata' || zone === 'Asia/Calcutta').length, 1, zones.join(', '));
      assert.ok(zones.includes('Europe/Berlin'));
    } finally {
      Intl.supportedValuesOf = supportedValuesOf;
    }
  });
});
