// The people in one live consult, in order of arrival, and what each of them
// may see of the others: the call (for those admitted), the waiting room (for
// doctors), their own place in line (for those waiting). Telling people goes
// through here so that nobody hears about what they may not see.
import type {
  ParticipantInfo,
  ServerToClientEvents,
  WaitingParticipantInfo,
  WaitingStatus,
} from '../../shared/protocol';
import type { Participant } from './participant';

export class Roster {
  /** A Map keeps insertion order: the order of arrival. */
  readonly #participants = new Map<string, Participant>();

  get size(): number {
    return this.#participants.size;
  }

  /** Read-only, for lookups from outside the consult. */
  get byId(): ReadonlyMap<string, Participant> {
    return this.#participants;
  }

  get(participantId: string): Participant | undefined {
    return this.#participants.get(participantId);
  }

  /** Whether `participant` is the one on the roster under its id (not an older or newer one). */
  holds(participant: Participant): boolean {
    return this.#participants.get(participant.id) === participant;
  }

  all(): Participant[] {
    return [...this.#participants.values()];
  }

  add(participant: Participant): void {
    this.#participants.set(participant.id, participant);
  }

  delete(participant: Participant): void {
    if (this.holds(participant)) this.#participants.delete(participant.id);
  }

  clear(): void {
    this.#participants.clear();
  }

  /** Whoever holds this seat (a link or a doctor account) now. */
  holderOf(seat: string): Participant | undefined {
    return this.all().find((participant) => participant.seat === seat);
  }

  admitted(): Participant[] {
    return this.all().filter((participant) => participant.admitted);
  }

  waiting(): Participant[] {
    return this.all().filter((participant) => !participant.admitted);
  }

  admittedDoctors(): Participant[] {
    return this.all().filter(isAdmittedDoctor);
  }

  patientInCall(): boolean {
    return this.all().some((participant) => participant.admitted && participant.role === 'patient');
  }

  /** The admitted participants `participant` may see; nobody while they wait. */
  othersOf(participant: Participant): ParticipantInfo[] {
    if (!participant.admitted) return [];
    return this.admitted()
      .filter((other) => other !== participant)
      .map((other) => other.info());
  }

  /** The waiting room in order of arrival, as doctors see it; empty for others. */
  waitingRoomFor(participant: Participant): WaitingParticipantInfo[] {
    if (!isAdmittedDoctor(participant)) return [];
    return this.waiting().map((waiting) => waiting.waitingInfo());
  }

  waitingStatusOf(participant: Participant): WaitingStatus | null {
    if (participant.admitted) return null;
    return { position: this.waiting().indexOf(participant) + 1, doctorOnline: this.admittedDoctors().length > 0 };
  }

  /** To everyone admitted but `from`. */
  broadcast<E extends keyof ServerToClientEvents>(from: Participant, event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    for (const other of this.admitted()) {
      if (other !== from) other.channel.notify(event, ...args);
    }
  }

  /** To everyone admitted. */
  tellAdmitted<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): void {
    for (const participant of this.admitted()) participant.channel.notify(event, ...args);
  }

  /** The doctors hear who is waiting now. */
  publishWaitingRoom(): void {
    const waiting = this.waiting().map((participant) => participant.waitingInfo());
    for (const doctor of this.admittedDoctors()) doctor.channel.notify('waitingRoomChanged', { waiting });
  }

  /** Everyone waiting hears their place in line and whether a doctor is there. */
  publishWaitingStatuses(): void {
    for (const participant of this.waiting()) {
      const status = this.waitingStatusOf(participant);
      if (status) participant.channel.notify('waitingStatus', status);
    }
  }
}

export function isAdmittedDoctor(participant: Participant): boolean {
  return participant.role === 'doctor' && participant.admitted;
}
