// People joining consults over real Socket.IO connections, for integration
// tests: a doctor with their session, guests with fresh invite links, and the
// doctor letting guests in. Every connection is closed by closeAll().
import type { ConsiliumServer } from '../../server/consiliumServer';
import type { InviteRole } from '../../shared/api';
import type { JoinResponse } from '../../shared/protocol';
import { createInviteToken, type DoctorFixture } from './consultFixtures';
import { connect, expectOk, nextEvent, type TestSocket } from './signallingClient';

export interface JoinedGuest {
  socket: TestSocket;
  join: JoinResponse;
  token: string;
  linkId: string;
}

export class ConsultClients {
  readonly #server: () => ConsiliumServer;
  readonly #sockets: TestSocket[] = [];

  /** `server` is read when needed: suites start their server in a before hook. */
  constructor(server: () => ConsiliumServer) {
    this.#server = server;
  }

  async connect(cookie?: string): Promise<TestSocket> {
    const socket = await connect(this.#server().port, cookie);
    this.#sockets.push(socket);
    return socket;
  }

  async doctorJoins(consultId: string, doctor: DoctorFixture): Promise<{ socket: TestSocket; join: JoinResponse }> {
    const socket = await this.connect(doctor.cookie);
    const join = await expectOk<JoinResponse>(socket, 'join', { as: 'doctor', consultId });
    return { socket, join };
  }

  async guestJoins(consultId: string, role: InviteRole, displayName: string): Promise<JoinedGuest> {
    const { token, linkId } = await createInviteToken(this.#server(), consultId, role);
    const socket = await this.connect();
    const join = await expectOk<JoinResponse>(socket, 'join', { as: 'guest', inviteToken: token, displayName });
    return { socket, join, token, linkId };
  }

  /** A guest the doctor has let in. */
  async admittedGuest(consultId: string, doctorSocket: TestSocket, role: InviteRole, displayName: string): Promise<JoinedGuest> {
    const guest = await this.guestJoins(consultId, role, displayName);
    const admitted = nextEvent(guest.socket, 'admitted');
    await expectOk(doctorSocket, 'admit', { participantId: guest.join.participantId });
    await admitted;
    return guest;
  }

  closeAll(): void {
    for (const socket of this.#sockets.splice(0)) socket.disconnect();
  }
}
