// What each browser's guards decide about its own link, reading by reading
// (the state machine itself: videoLinkGuard.test.ts).
import assert from 'node:assert/strict';
import { ReceiveLinkGuard } from '../../client/call/receiveLinkGuard';
import { SendLinkGuard, type CameraSending } from '../../client/call/sendLinkGuard';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 0;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('the guard of our own uplink', () => {
  function guarded(cameraWanted = () => true) {
    const clock = manualClock();
    const calls: string[] = [];
    const guard = new SendLinkGuard(
      {
        cameraWanted,
        setCameraSending: (sending: CameraSending) => calls.push(`camera ${sending}`),
        setHeldBack: (heldBack) => calls.push(`held back ${heldBack}`),
      },
      clock.now,
    );
    /** One reading a second for `seconds` seconds. */
    const read = (seconds: number, estimate: number, lossFraction?: number): void => {
      for (let second = 0; second < seconds; second++) {
        guard.look({ estimate, lossFraction });
        clock.advance(1000);
      }
    };
    return { calls, read };
  }

  it('pauses the camera and says so once the estimate stays below what a voice and the least video need', () => {
    const { calls, read } = guarded();
    read(3, 90_000);
    assert.deepEqual(calls, []);
    read(1, 90_000);
    assert.deepEqual(calls, ['camera none', 'held back true']);
  });

  it('counts heavy loss of our video as a weak uplink, and a little as none', () => {
    const quiet = guarded();
    quiet.read(10, 1_000_000, 0.05);
    assert.deepEqual(quiet.calls, []);
    const lossy = guarded();
    lossy.read(4, 1_000_000, 0.3);
    assert.deepEqual(lossy.calls, ['camera none', 'held back true']);
  });

  it('tries the lowest layer first, and sends all of it again once the trial held', () => {
    const { calls, read } = guarded();
    read(4, 50_000);
    calls.length = 0;
    // The first trial comes 8 s after holding back; the link has recovered meanwhile.
    read(8, 1_000_000);
    assert.deepEqual(calls, ['camera lowest']);
    read(6, 1_000_000);
    assert.deepEqual(calls, ['camera lowest', 'camera all', 'held back false']);
  });

  it('stops saying the camera is held back once it is turned off', () => {
    let wanted = true;
    const { calls, read } = guarded(() => wanted);
    read(4, 50_000);
    wanted = false;
    read(1, 50_000);
    assert.deepEqual(calls, ['camera none', 'held back true', 'held back false']);
  });
});

describe('the guard of our own downlink', () => {
  function guarded() {
    const clock = manualClock();
    const calls: string[] = [];
    const guard = new ReceiveLinkGuard(
      {
        setShown: (heldBack) => calls.push(`shown ${heldBack}`),
        tellServer: () => calls.push(`told: hold ${guard.asksServerToHold}, weak ${guard.linkWeak}`),
      },
      clock.now,
    );
    const read = (seconds: number, lossFraction: number): void => {
      for (let second = 0; second < seconds; second++) {
        guard.look({ lossFraction, concealedFraction: 0, videoWanted: true });
        clock.advance(1000);
      }
    };
    return { guard, calls, read };
  }

  it('asks the server to hold video back, tries again with the notice still shown, and lets the others know when the link carried it', () => {
    const { guard, calls, read } = guarded();
    read(4, 0.3);
    assert.deepEqual(calls, ['shown true', 'told: hold true, weak true']);
    read(8, 0);
    assert.deepEqual(calls.slice(2), ['told: hold false, weak true']);
    read(6, 0);
    assert.deepEqual(calls.slice(3), ['shown false', 'told: hold false, weak false']);
    assert.equal(guard.linkWeak, false);
  });

  it('takes a trial the server ended as a failed one, and waits longer before the next', () => {
    const { guard, calls, read } = guarded();
    read(4, 0.3);
    read(8, 0);
    assert.deepEqual(calls.slice(2), ['told: hold false, weak true']);
    // Its readings have not yet judged the trial (still in its first moments) when the server ends it.
    guard.trialEnded();
    assert.deepEqual(calls.slice(3), ['shown true', 'told: hold true, weak true']);
    assert.equal(guard.asksServerToHold, true);
    // The next trial waits twice as long (16 s).
    read(16, 0);
    assert.deepEqual(calls.slice(5), []);
    read(1, 0);
    assert.deepEqual(calls.slice(5), ['told: hold false, weak true']);
  });

  it('ignores the end of a trial it already kept or gave up', () => {
    const { guard, calls, read } = guarded();
    read(4, 0.3);
    read(14, 0);
    assert.equal(guard.linkWeak, false);
    const before = calls.length;
    guard.trialEnded();
    assert.equal(calls.length, before);
    assert.equal(guard.asksServerToHold, false);
  });
});
