// What every browser test needs: a server and a Chromium, started before the
// suite and closed after it, and people arriving the way real ones do.
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { InviteRole } from '../../shared/api';
import { launchChromium } from './browser';
import { testCertificate } from './certificates';
import { createInviteToken, type DoctorFixture } from './consultFixtures';
import { Coturn } from './coturn';
import { NetworkNamespace } from './networkNamespace';
import { clickButton, fillField, tickCheckbox } from './pageActions';
import { recordPeerConnections } from './pageProbes';
import { startTestServer } from './testServer';

/** The pre-join page's name field, consent box and join button, as labelled. */
export interface GuestJoinLabels {
  name: string;
  consent: string;
  join: string;
}

const englishJoinLabels: GuestJoinLabels = {
  name: 'Your name as the others will see it',
  consent: 'I have read this and want to join',
  join: 'Join',
};

export interface E2eOptions {
  /**
   * Put a second browser in a network namespace of its own (for the patient),
   * linked to the host by a veth pair; the server listens on the host's end,
   * and everyone reaches it there.
   */
  namespace?: boolean;
  /**
   * With `namespace`: serve HTTPS on port 443 of the host's end with a test
   * certificate (browsers told to accept it), and run coturn beside it on
   * the host's second address (UDP and TCP 3478, TLS on 443), with the
   * server handing out credentials for it: the way a site on the internet
   * is set up.
   */
  internetLike?: boolean;
}

const turnSecret = 'consilium-e2e-turn-secret-0123456789abcdef';

/**
 * Opens `url`, again if Chromium dropped the navigation because the machine's
 * network changed under it: the suite itself adds interfaces (a network
 * namespace's veth pair) just before, and Chromium notices them a moment later.
 */
async function gotoSteadily(page: Page, url: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url);
      return;
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('ERR_NETWORK_CHANGED')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

export class E2eSession {
  #server: ConsiliumServer | undefined;
  #browser: Browser | undefined;
  #namespacedBrowser: Browser | undefined;
  #namespace: NetworkNamespace | undefined;
  #coturn: Coturn | undefined;
  #host = '127.0.0.1';
  #scheme = 'http';
  readonly #contexts: BrowserContext[] = [];

  /** Registers mocha hooks: call it in a describe block. */
  static inSuite(serverOverrides: Record<string, string> = {}, options: E2eOptions = {}): E2eSession {
    const session = new E2eSession();
    before(async () => {
      if (options.namespace) {
        const namespace = NetworkNamespace.create();
        session.#namespace = namespace;
        session.#host = namespace.hostAddress;
        const internet = options.internetLike ? await session.#startInternetLike(namespace) : {};
        session.#server = await startTestServer({
          HOST: namespace.hostAddress,
          MEDIA_LISTEN_IP: namespace.hostAddress,
          MEDIA_ANNOUNCED_ADDRESS: namespace.hostAddress,
          ...internet,
          ...serverOverrides,
        });
        const origin = session.url('').replace(/\/$/, '');
        const browserOptions = options.internetLike ? { acceptTestCertificates: true } : { trustedOrigin: origin };
        session.#browser = await launchChromium(browserOptions);
        session.#namespacedBrowser = await launchChromium({ ...browserOptions, namespace });
      } else {
        session.#server = await startTestServer(serverOverrides);
        session.#browser = await launchChromium();
      }
    });
    after(async () => {
      // Once (after a failed weak-link test) this teardown hung until mocha's timeout: each step
      // now says so when it is slow, so that the next one shows which.
      try {
        await slowStepSays('closing the namespaced Chromium', () => session.#namespacedBrowser?.close());
        await slowStepSays('closing Chromium', () => session.#browser?.close());
        await slowStepSays('closing the server', () => session.#server?.close());
      } finally {
        // What the test made on the machine goes even when closing failed.
        session.#coturn?.stop();
        session.#namespace?.remove();
      }
    });
    return session;
  }

  /** coturn and the certificate for an internet-like suite; returns the server's configuration for them. */
  async #startInternetLike(namespace: NetworkNamespace): Promise<Record<string, string>> {
    const certificate = testCertificate([namespace.hostAddress, namespace.secondHostAddress]);
    this.#coturn = await Coturn.start({
      secret: turnSecret,
      realm: 'consilium.test',
      listenIps: [namespace.secondHostAddress],
      port: 3478,
      tls: { port: 443, certFile: certificate.certFile, keyFile: certificate.keyFile },
      relayPorts: { min: 49160, max: 49200 },
      externalIp: undefined,
      mediaServerIps: [namespace.hostAddress],
    });
    this.#scheme = 'https';
    return {
      PORT: '443',
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      TURN_SECRET: turnSecret,
      TURN_HOST: namespace.secondHostAddress,
      TURN_PORT: '3478',
      TURN_TLS_PORT: '443',
    };
  }

  /** The patient's network, when the suite asked for one (see E2eOptions). */
  get namespace(): NetworkNamespace {
    if (!this.#namespace) throw new Error('this suite has no network namespace');
    return this.#namespace;
  }

  get server(): ConsiliumServer {
    if (!this.#server) throw new Error('the server starts in the suite’s before hook');
    return this.#server;
  }

  get browser(): Browser {
    if (!this.#browser) throw new Error('the browser starts in the suite’s before hook');
    return this.#browser;
  }

  url(path: string): string {
    return `${this.#scheme}://${this.#host}:${this.server.port}${path}`;
  }

  /**
   * A separate browser context per person, like separate devices; WebRTC
   * connections recorded for probing. `inNamespace`: in the browser inside
   * the suite's network namespace.
   */
  async newPage(label: string, { inNamespace = false } = {}): Promise<Page> {
    const browser = inNamespace ? this.#namespacedBrowser : this.browser;
    if (!browser) throw new Error('this suite has no network namespace');
    const context = await browser.createBrowserContext();
    this.#contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`[${label} page error]`, error));
    await page.evaluateOnNewDocument(recordPeerConnections);
    return page;
  }

  /** Closes every page opened so far (each person's browser context): their calls end, the machine is free again. */
  async closePages(): Promise<void> {
    await Promise.all(this.#contexts.splice(0).map((context) => context.close().catch(() => undefined)));
  }

  /** The signed-in doctor opens their consult and passes the device check. */
  async doctorOpens(doctor: DoctorFixture, consultId: string): Promise<Page> {
    const page = await this.newPage(doctor.displayName);
    await page.setCookie({ name: sessionCookieName, value: doctor.sessionToken, domain: this.#host, path: '/' });
    await gotoSteadily(page, this.url(`/c/${consultId}`));
    await tickCheckbox(page, 'I have read this and want to join');
    await clickButton(page, 'Join');
    await page.waitForSelector('main[data-phase="in-call"]');
    return page;
  }

  /** Opens a fresh invite link: the pre-join page, before giving a name. */
  async guestOpensLink(consultId: string, role: InviteRole, { inNamespace = false } = {}): Promise<Page> {
    const { token } = await createInviteToken(this.server, consultId, role);
    const page = await this.newPage(role, { inNamespace });
    await gotoSteadily(page, this.url(`/join#${token}`));
    return page;
  }

  /**
   * On the pre-join page: gives a name, agrees to the privacy notice, joins,
   * then waits. `labels` are what the page says, in its language.
   */
  async guestJoinsFrom(page: Page, name: string, labels: GuestJoinLabels = englishJoinLabels): Promise<Page> {
    await fillField(page, labels.name, name);
    await tickCheckbox(page, labels.consent);
    await clickButton(page, labels.join);
    await page.waitForSelector('main[data-phase="waiting"]');
    return page;
  }

  /** Opens a fresh invite link, gives a name, agrees to the privacy notice, joins: then waits. */
  async guestArrives(consultId: string, role: InviteRole, name: string, { inNamespace = false } = {}): Promise<Page> {
    return this.guestJoinsFrom(await this.guestOpensLink(consultId, role, { inNamespace }), name);
  }
}

/** Runs `step`, and says on the console if it is still running after 20 s. */
async function slowStepSays(what: string, step: () => Promise<void> | undefined): Promise<void> {
  const warning = setTimeout(() => console.warn(`      teardown: ${what} has taken over 20 s`), 20_000);
  try {
    await step();
  } finally {
    clearTimeout(warning);
  }
}
