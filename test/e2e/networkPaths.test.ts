// A three-way call set up the way a site on the internet is (HTTPS on 443,
// coturn beside it with UDP/TCP 3478 and TLS on 443, credentials from the
// server), with the patient's Chromium in a network namespace of its own:
// (a) everything open, (b) UDP blocked, (c) nothing but TCP 443, as in the
// strictest hotel and hospital networks. The call must connect each time,
// video and audio flowing both ways, over the path ICE should pick: direct
// UDP, direct TCP, relayed over TLS; and the doctor is told which. Before
// joining, the network check must have said the same in plain words. And
// where nothing but the website gets through, the check says the network
// blocks calls, and the call says so to everyone within seconds.
//
// Each run also measures the time from opening the link to the first decoded
// remote frame. `npm run bench:network` repeats every scenario
// (NETWORK_BENCH_RUNS, default 5 there, 1 in `npm test`) and prints medians
// for docs/performance.md; the test itself never asserts a duration.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { createConsult, createDoctor } from '../helpers/consultFixtures';
import { E2eSession } from '../helpers/e2eSession';
import type { NetworkNamespace } from '../helpers/networkNamespace';
import { clickButton } from '../helpers/pageActions';
import { audioFlows, candidatePairsReport, selectedPaths, videoFlows, type SelectedPath } from '../helpers/pageProbes';

interface ObservedPath {
  route: 'direct' | 'relay';
  protocol: string;
  relayProtocol: string | null;
}

function observed(path: SelectedPath): ObservedPath {
  return { route: path.candidateType === 'relay' ? 'relay' : 'direct', protocol: path.protocol, relayProtocol: path.relayProtocol };
}

interface Scenario {
  name: string;
  restrict(namespace: NetworkNamespace): void;
  /** The selected pair, with host and peer-reflexive candidates both counted as 'direct' (active TCP shows as peer-reflexive). */
  expected: ObservedPath;
  /**
   * Other paths one of the two transports may take, as long as the other takes `expected`.
   * Seen only in (b): after earlier calls in the same browser, Chrome now and then never pairs
   * the receiving transport's passive TCP candidate and settles on TURN over TCP, which still
   * keeps the patient's media off UDP.
   */
  tolerated?: ObservedPath[];
  /** What the pre-join check finds: its verdict, and the paths it reached. */
  preJoin: { verdict: string; reached: string[] };
}

const scenarios: Scenario[] = [
  {
    name: 'everything open',
    restrict: () => undefined,
    expected: { route: 'direct', protocol: 'udp', relayProtocol: null },
    preJoin: { verdict: 'good', reached: ['direct-udp', 'direct-tcp', 'relay-udp', 'relay-tcp', 'relay-tls'] },
  },
  {
    name: 'UDP blocked',
    restrict: (namespace) => namespace.blockUdp(),
    expected: { route: 'direct', protocol: 'tcp', relayProtocol: null },
    tolerated: [
      { route: 'relay', protocol: 'udp', relayProtocol: 'tcp' },
      { route: 'relay', protocol: 'udp', relayProtocol: 'tls' },
    ],
    preJoin: { verdict: 'limited', reached: ['direct-tcp', 'relay-tcp', 'relay-tls'] },
  },
  {
    name: 'only TCP 443 allowed',
    restrict: (namespace) => namespace.allowOnlyTcpTo(443),
    // The relayed leg (TURN server to media server) is UDP; the browser reaches the relay over TLS.
    expected: { route: 'relay', protocol: 'udp', relayProtocol: 'tls' },
    preJoin: { verdict: 'limited', reached: ['relay-tls'] },
  },
];

const runs = Math.max(1, Number(process.env.NETWORK_BENCH_RUNS ?? '1') || 1);

/** Milliseconds, per scenario: the network check, link opened → first remote frame, admitted → first remote frame. */
const timings = new Map<string, { check: number[]; total: number[]; media: number[] }>();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The words on the doctor's tile for a path the patient's media took. */
function doctorTextOf(path: ObservedPath): string {
  if (path.route === 'direct') return `Connection: direct (${path.protocol.toUpperCase()})`;
  return `Connection: relayed (${(path.relayProtocol ?? 'udp').toUpperCase()})`;
}

/** The patient's selected paths once they are all `expected`, or as they are after `withinMs`. */
async function settledPaths(page: Page, expected: ObservedPath, withinMs = 15_000): Promise<ObservedPath[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const paths = (await selectedPaths(page)).map(observed);
    const settled = paths.length === 2 && paths.every((path) => JSON.stringify(path) === JSON.stringify(expected));
    if (settled || Date.now() > deadline) return paths;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface PreJoinCheck {
  verdict: string;
  text: string;
  reached: string[];
}

/** Waits for the pre-join network check to finish; what it said and which paths it reached. */
async function networkCheckOf(page: Page): Promise<PreJoinCheck> {
  await page.waitForSelector('.network-check:not([data-verdict="checking"])', { timeout: 30_000 });
  return page.evaluate(() => {
    const section = document.querySelector<HTMLElement>('.network-check');
    return {
      verdict: section?.dataset.verdict ?? '',
      text: section?.querySelector('.network-verdict')?.textContent ?? '',
      reached: [...(section?.querySelectorAll<HTMLElement>('[data-reached="true"]') ?? [])].map((item) => item.dataset.path ?? ''),
    };
  });
}

/** Resolves when one remote video on the page shows a decoded frame. */
async function firstRemoteFrame(page: Page): Promise<void> {
  await page.waitForFunction(`[...document.querySelectorAll('.tiles .tile video')].some((video) => video.readyState >= 2 && video.videoWidth > 0)`, {
    polling: 20,
    timeout: 60_000,
  });
}

describe('a three-way call over HTTPS and TURN from open, UDP-blocked and TCP-443-only networks, in Chromium', function () {
  this.timeout(180_000);
  const e2e = E2eSession.inSuite({}, { namespace: true, internetLike: true });

  afterEach(async () => {
    e2e.namespace.restore();
    await e2e.closePages();
  });

  after(() => {
    const rows = [...timings].map(([name, { check, total, media }]) => ({
      scenario: name,
      runs: total.length,
      'network check, median ms': Math.round(median(check)),
      'link → first frame, median ms': Math.round(median(total)),
      'admitted → first frame, median ms': Math.round(median(media)),
      'link → first frame, max ms': Math.max(...total),
    }));
    if (rows.length > 0 && runs > 1) console.table(rows);
  });

  for (const scenario of scenarios) {
    for (let run = 1; run <= runs; run++) {
      it(`${scenario.name}: connects, media flows both ways, over ${doctorTextOf(scenario.expected).replace('Connection: ', '')}${runs > 1 ? ` (run ${run})` : ''}`, async () => {
        const doctor = await createDoctor(e2e.server);
        const consultId = createConsult(e2e.server, doctor, false);
        const doctorPage = await e2e.doctorOpens(doctor, consultId);
        const interpreterPage = await e2e.guestArrives(consultId, 'interpreter', 'Samir Khoury');
        await clickButton(doctorPage, 'Admit Samir Khoury');
        await interpreterPage.waitForSelector('main[data-phase="in-call"]');

        scenario.restrict(e2e.namespace);
        const linkOpenedAt = Date.now();
        const patientPage = await e2e.guestOpensLink(consultId, 'patient', { inNamespace: true });
        const check = await networkCheckOf(patientPage);
        const checkedAt = Date.now();
        assert.equal(check.verdict, scenario.preJoin.verdict, check.text);
        assert.deepEqual(check.reached, scenario.preJoin.reached);
        await e2e.guestJoinsFrom(patientPage, 'Amira Haddad');
        await clickButton(doctorPage, 'Admit Amira Haddad');
        await patientPage.waitForSelector('main[data-phase="in-call"]');
        const admittedAt = Date.now();
        await firstRemoteFrame(patientPage);
        const frameAt = Date.now();
        const entry = timings.get(scenario.name) ?? { check: [], total: [], media: [] };
        entry.check.push(checkedAt - linkOpenedAt);
        entry.total.push(frameAt - linkOpenedAt);
        entry.media.push(frameAt - admittedAt);
        timings.set(scenario.name, entry);

        for (const role of ['doctor', 'interpreter']) {
          await videoFlows(patientPage, role, `the patient (${scenario.name})`);
          await audioFlows(patientPage, role, `the patient (${scenario.name})`);
        }
        for (const page of [doctorPage, interpreterPage]) {
          await videoFlows(page, 'patient', `from the patient (${scenario.name})`);
          await audioFlows(page, 'patient', `from the patient (${scenario.name})`);
        }

        // ICE may first nominate a pair that answered sooner and move to a better one as its checks come in.
        const paths = await settledPaths(patientPage, scenario.expected);
        assert.equal(paths.length, 2, 'the patient has a sending and a receiving transport, both connected');
        const same = (a: ObservedPath, b: ObservedPath): boolean => JSON.stringify(a) === JSON.stringify(b);
        const accepted = [scenario.expected, ...(scenario.tolerated ?? [])];
        const asExpected = paths.every((path) => accepted.some((candidate) => same(path, candidate))) && paths.some((path) => same(path, scenario.expected));
        if (!asExpected) {
          assert.fail(`the patient's selected paths ${JSON.stringify(paths)}, expected ${JSON.stringify(scenario.expected)}, of these candidate pairs:\n${await candidatePairsReport(patientPage)}`);
        }

        // The doctor is told the path of the patient's sending transport, whichever accepted one it is.
        await doctorPage.waitForFunction(
          (texts: string[]) => [...document.querySelectorAll('.tile[data-role="patient"] .tile-path')].some((note) => texts.includes(note.textContent ?? '')),
          { timeout: 15_000 },
          paths.map(doctorTextOf),
        );
        if (!paths.every((path) => same(path, scenario.expected))) {
          console.warn(`      ${scenario.name}: one transport took ${JSON.stringify(paths)} (tolerated, see Scenario.tolerated)`);
        }
      });
    }
  }

  it('only the website gets through: the check says the network blocks calls, and in the call everyone is told within seconds', async () => {
    const doctor = await createDoctor(e2e.server);
    const consultId = createConsult(e2e.server, doctor, false);
    const doctorPage = await e2e.doctorOpens(doctor, consultId);
    e2e.namespace.allowOnlyTcpTo(443, e2e.namespace.hostAddress);
    const patientPage = await e2e.guestOpensLink(consultId, 'patient', { inNamespace: true });
    const check = await networkCheckOf(patientPage);
    assert.deepEqual(check, { verdict: 'blocked', text: 'Your network blocks video calls. Try another Wi-Fi or mobile data.', reached: [] });
    assert.equal(await patientPage.$eval('.network-verdict', (verdict) => verdict.getAttribute('role')), 'alert');

    await e2e.guestJoinsFrom(patientPage, 'Amira Haddad');
    await clickButton(doctorPage, 'Admit Amira Haddad');
    await patientPage.waitForSelector('main[data-phase="in-call"]');
    // About eight seconds of trying every path first; never the minutes ICE alone would take.
    await patientPage.waitForSelector('[data-testid="no-media-path"]', { timeout: 20_000 });
    await doctorPage.waitForFunction(
      () => [...document.querySelectorAll('.tile[data-role="patient"] .tile-state')].some((state) => state.textContent === 'Their network blocks the call'),
      { timeout: 20_000 },
    );
  });
});
