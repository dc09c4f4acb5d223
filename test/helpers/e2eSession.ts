// What every browser test needs: a server and a Chromium, started before the
// suite and closed after it, and people arriving the way real ones do.
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { sessionCookieName } from '../../server/accounts/accountStore';
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { InviteRole } from '../../shared/api';
import { launchChromium } from './browser';
import { createInviteToken, type DoctorFixture } from './consultFixtures';
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
}

export class E2eSession {
  #server: ConsiliumServer | undefined;
  #browser: Browser | undefined;
  #namespacedBrowser: Browser | undefined;
  #namespace: NetworkNamespace | undefined;
  #host = '127.0.0.1';
  readonly #contexts: BrowserContext[] = [];

  /** Registers mocha hooks: call it in a describe block. */
  static inSuite(serverOverrides: Record<string, string> = {}, options: E2eOptions = {}): E2eSession {
    const session = new E2eSession();
    before(async () => {
      if (options.namespace) {
        const namespace = NetworkNamespace.create();
        session.#namespace = namespace;
        session.#host = namespace.hostAddress;
        session.#server = await startTestServer({
          HOST: namespace.hostAddress,
          MEDIA_LISTEN_IP: namespace.hostAddress,
          MEDIA_ANNOUNCED_ADDRESS: namespace.hostAddress,
          ...serverOverrides,
        });
        const trustedOrigin = `http://${namespace.hostAddress}:${session.#server.port}`;
        session.#browser = await launchChromium({ trustedOrigin });
        session.#namespacedBrowser = await launchChromium({ trustedOrigin, namespace });
      } else {
        session.#server = await startTestServer(serverOverrides);
        session.#browser = await launchChromium();
      }
    });
    after(async () => {
      await session.#namespacedBrowser?.close();
      await session.#browser?.close();
      await session.#server?.close();
      session.#namespace?.remove();
    });
    return session;
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
    return `http://${this.#host}:${this.server.port}${path}`;
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
    await page.goto(this.url(`/c/${consultId}`));
    await tickCheckbox(page, 'I have read this and want to join');
    await clickButton(page, 'Join');
    await page.waitForSelector('main[data-phase="in-call"]');
    return page;
  }

  /** Opens a fresh invite link: the pre-join page, before giving a name. */
  async guestOpensLink(consultId: string, role: InviteRole, { inNamespace = false } = {}): Promise<Page> {
    const { token } = await createInviteToken(this.server, consultId, role);
    const page = await this.newPage(role, { inNamespace });
    await page.goto(this.url(`/join#${token}`));
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
