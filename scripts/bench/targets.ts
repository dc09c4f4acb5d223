// What the bots are pointed at: our whole server (in a child process, joined
// through signed invite links and the waiting room), or a bare mediasoup
// router in this process (the anchor).
import { BareMediasoup } from './bareRouter';
import { Bot, type BotMediaOptions, type BotTimings } from './bot';
import { type ConsiliumIdentity, ConsiliumSignalling } from './consiliumSignalling';
import { monotonicMicros } from './media';
import type { TargetName } from './results';
import type { PreparedConsult } from './serverIpc';
import { ServerProcess } from './serverProcess';
import { type CpuLayout, pin } from './system';

export interface CallTarget {
  readonly name: TargetName;
  readonly workerPid: number;
  /** The signalling server's process; undefined for the bare anchor. */
  readonly serverPid: number | undefined;
  /** One three-way consult: the doctor first, then patient and interpreter together. */
  startConsult(media: BotMediaOptions): Promise<Bot[]>;
  close(): Promise<void>;
}

/** Starts the bots of one consult; if any fails, the others are closed and the error is thrown. */
async function threeWay(start: () => Promise<Bot>): Promise<Bot[]> {
  const doctor = await start();
  const guests = await Promise.allSettled([start(), start()]);
  const bots = [doctor, ...guests.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))];
  const failure = guests.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.allSettled(bots.map((bot) => bot.close()));
    throw failure.reason;
  }
  return bots;
}

/** A participant arriving through our signalling: join, admission, then media; `timings` are filled as it goes. */
export async function startConsiliumBot(baseUrl: string, identity: ConsiliumIdentity, media: BotMediaOptions, timings: BotTimings = {}): Promise<Bot> {
  const startedUs = monotonicMicros();
  const signalling = await ConsiliumSignalling.join(baseUrl, identity, startedUs, timings);
  return Bot.start(signalling, media, startedUs, timings);
}

export class ConsiliumTarget implements CallTarget {
  readonly name = 'consilium';
  readonly server: ServerProcess;

  private constructor(server: ServerProcess) {
    this.server = server;
  }

  get workerPid(): number {
    return this.server.workerPid;
  }

  get serverPid(): number {
    return this.server.pid;
  }

  static async start(layout: CpuLayout): Promise<ConsiliumTarget> {
    const server = await ServerProcess.start();
    try {
      pin(server.pid, layout.otherCpus);
      pin(server.workerPid, layout.workerCpus);
    } catch (error) {
      await server.close();
      throw error;
    }
    return new ConsiliumTarget(server);
  }

  /** Makes doctor accounts, consults and invite links ahead of time (not measured). */
  prepare(count: number): Promise<PreparedConsult[]> {
    return this.server.prepareConsults(count);
  }

  async startConsult(media: BotMediaOptions): Promise<Bot[]> {
    const [consult] = await this.prepare(1);
    if (!consult) throw new Error('the server prepared no consult');
    const identities: ConsiliumIdentity[] = [
      { as: 'doctor', consultId: consult.consultId, cookie: consult.doctorCookie },
      { as: 'guest', inviteToken: consult.patientToken, displayName: 'Bench patient' },
      { as: 'guest', inviteToken: consult.interpreterToken, displayName: 'Bench interpreter' },
    ];
    let next = 0;
    return threeWay(() => {
      const identity = identities[next++];
      if (!identity) throw new Error('a consult has three participants');
      return startConsiliumBot(this.server.url, identity, media);
    });
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}

export class BareTarget implements CallTarget {
  readonly name = 'bare-mediasoup';
  readonly serverPid = undefined;
  readonly #mediasoup: BareMediasoup;

  private constructor(mediasoup: BareMediasoup) {
    this.#mediasoup = mediasoup;
  }

  get workerPid(): number {
    return this.#mediasoup.workerPid;
  }

  static async start(layout: CpuLayout): Promise<BareTarget> {
    const mediasoup = await BareMediasoup.start();
    try {
      pin(mediasoup.workerPid, layout.workerCpus);
    } catch (error) {
      mediasoup.close();
      throw error;
    }
    return new BareTarget(mediasoup);
  }

  async startConsult(media: BotMediaOptions): Promise<Bot[]> {
    const room = await this.#mediasoup.createRoom();
    return threeWay(() => Bot.start(room.join(), media, monotonicMicros()));
  }

  close(): Promise<void> {
    this.#mediasoup.close();
    return Promise.resolve();
  }
}
