import assert from 'node:assert/strict';
import { tooLittleForVideo, VideoLinkGuard, type LinkGuardAction, type LinkGuardSettings } from '../../shared/videoLinkGuard';

const settings: LinkGuardSettings = { holdAfterMs: 3000, firstWaitMs: 8000, longestWaitMs: 30_000, trialMs: 6000, trialGraceMs: 2000 };

/** Feeds a reading once a second from `from` to `to`; returns each action with its time. */
function feed(guard: VideoLinkGuard, from: number, to: number, weak: (now: number) => boolean | undefined): [number, LinkGuardAction][] {
  const actions: [number, LinkGuardAction][] = [];
  for (let now = from; now <= to; now += 1000) {
    const action = guard.update(now, weak(now));
    if (action) actions.push([now, action]);
  }
  return actions;
}

describe('holding video back on a link that cannot carry it', () => {
  it('keeps video on a good link, and through a short dip', () => {
    const guard = new VideoLinkGuard(settings);
    assert.deepEqual(feed(guard, 0, 20_000, (now) => now >= 5000 && now < 7000), []);
    assert.equal(guard.state, 'flowing');
  });

  it('holds video back once the link stays weak, and tries again later, less often each time a trial fails', () => {
    const guard = new VideoLinkGuard(settings);
    assert.deepEqual(
      feed(guard, 0, 80_000, () => true),
      [
        [3000, 'hold'],
        [11_000, 'trial'],
        [13_000, 'hold'],
        [29_000, 'trial'],
        [31_000, 'hold'],
        [61_000, 'trial'],
        [63_000, 'hold'],
      ],
    );
  });

  it('keeps video after a trial the link carried, and waits the shortest time again after the next hold', () => {
    const guard = new VideoLinkGuard(settings);
    feed(guard, 0, 40_000, () => true);
    assert.equal(guard.state, 'held');
    // The link recovers: the next trial stays clear.
    assert.deepEqual(
      feed(guard, 41_000, 70_000, (now) => now < 60_000),
      [
        [61_000, 'trial'],
        [67_000, 'release'],
      ],
    );
    assert.deepEqual(
      feed(guard, 71_000, 85_000, () => true),
      [
        [74_000, 'hold'],
        [82_000, 'trial'],
        [84_000, 'hold'],
      ],
    );
  });

  it('starts trials on time without readings, and does not judge a trial in its first moments', () => {
    const guard = new VideoLinkGuard(settings);
    feed(guard, 0, 3000, () => true);
    assert.deepEqual(feed(guard, 4000, 11_000, () => undefined), [[11_000, 'trial']]);
    assert.deepEqual(feed(guard, 12_000, 17_000, (now) => now === 12_000), [[17_000, 'release']]);
  });

  it('does not take a trial without good readings (a link gone silent) for a link that carries video', () => {
    const guard = new VideoLinkGuard(settings);
    feed(guard, 0, 11_000, (now) => (now <= 3000 ? true : undefined));
    assert.equal(guard.state, 'trial');
    assert.deepEqual(feed(guard, 12_000, 17_000, () => undefined), [[17_000, 'hold']]);
  });

  it('leaves room for every voice on the link before any video', () => {
    assert.equal(tooLittleForVideo(140_000, 2), true);
    assert.equal(tooLittleForVideo(140_000, 1), false);
    assert.equal(tooLittleForVideo(100_000, 0), true);
  });
});
