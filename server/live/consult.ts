// One live consult: its participants and waiting room, and the parts that
// work for it (its media, the document shown, the chat, the interpretation
// floor). The rules of who may do what, and when, live here: who comes in,
// who waits, who may admit whom; nobody waiting touches media or documents.
// Like mediasoup's own classes it has an explicit lifecycle: close() releases
// the router and everyone's transports.
import type { ChatMessage, ConsultInfo, FloorState, JoinResponse, MediaAccess } from '../../shared/protocol';
import { Refusal } from '../../shared/refusals';
import type { FloorCueRequest } from '../../shared/schemas';
import type { AuditAction } from '../audit/auditLog';
import type { ConsultDocuments } from '../documents/documentStore';
import type { Logger } from '../logger';
import type { MediaSlot } from '../media/workerPool';
import { ChatRoom, type ChatArchive } from './chatRoom';
import { ConsultEvents, type ConsultCloseReason } from './consultEvents';
import type { ConsultMemory } from './consultMemory';
import { ConsultView } from './consultView';
import type { ConsultMedia } from './consultMedia';
import { MediaHome } from './mediaHome';
import { InterpretationFloor } from './interpretationFloor';
import { Participant, type ParticipantChannel, type ParticipantIdentity } from './participant';
import { ReturnPolicy } from './returnPolicy';
import { isAdmittedDoctor, Roster } from './roster';
import { SharedViewing, type DocumentChange } from './sharedViewing';

/** Records what happened in a consult (the registry binds it to the audit log). */
export type ConsultAuditor = (action: AuditAction, actor: string | null, subject?: string | null) => void;

export interface ConsultOptions {
  /** People in the call (admitted); doctors join even beyond it, guests are not admitted beyond it. */
  maxParticipants: number;
  /** People waiting to be admitted; more are refused with `waiting-room-full`. */
  maxWaiting: number;
  chat: ChatArchive;
  /** How long someone whose connection dropped stays in the consult, awaiting their return. */
  reconnectGraceMs: number;
  audit: ConsultAuditor;
  documents: ConsultDocuments;
  /** What is kept beyond this consult object (participant ids, admissions, presence, what is shown, the floor). */
  memory: ConsultMemory;
  /** A new router, when the worker of ours died (on another worker, or the restarted one). */
  newMediaSlot: () => Promise<MediaSlot>;
  /** TURN credentials (and the relay policy) for someone allowed media. */
  mediaAccessFor: (participant: Participant) => MediaAccess;
}

export class Consult {
  readonly id: string;
  readonly info: ConsultInfo;
  /** Who is told what happens to this consult (see ConsultEvents). */
  readonly events: ConsultEvents;
  readonly #options: ConsultOptions;
  readonly #logger: Logger;
  readonly #roster = new Roster();
  readonly #home: MediaHome;
  readonly #viewing: SharedViewing;
  readonly #chat: ChatRoom;
  readonly #floor: InterpretationFloor;
  readonly #memory: ConsultMemory;
  readonly #returns: ReturnPolicy;
  readonly #view: ConsultView;
  #closed = false;

  constructor(info: ConsultInfo, slot: MediaSlot, options: ConsultOptions, logger: Logger) {
    this.id = info.id;
    this.info = info;
    this.#options = options;
    this.#logger = logger.child({ consultId: info.id });
    this.events = new ConsultEvents(this.#logger);
    this.#home = new MediaHome(slot, {
      roster: this.#roster,
      assertMember: (participant) => this.#assertMember(participant),
      newMediaSlot: options.newMediaSlot,
      mediaAccessFor: options.mediaAccessFor,
      onLost: () => this.close('media-failure'),
      logger: this.#logger,
    });
    this.#memory = options.memory;
    this.#returns = new ReturnPolicy(options.memory, this.#roster);
    this.#floor = new InterpretationFloor(options.memory.floor(), (floor) => options.memory.saveFloor(floor));
    this.#viewing = new SharedViewing({
      documents: options.documents,
      memory: options.memory,
      participants: () => this.#roster.all(),
      auditPresented: (presenter, document) => options.audit('document-presented', presenter.auditName, document.originalName),
    });
    this.#chat = new ChatRoom(options.chat, this.#roster);
    this.#view = new ConsultView({
      info,
      roster: this.#roster,
      home: this.#home,
      returns: this.#returns,
      chat: this.#chat,
      viewing: this.#viewing,
      floor: this.#floor,
      reconnectGraceMs: options.reconnectGraceMs,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get participants(): ReadonlyMap<string, Participant> {
    return this.#roster.byId;
  }

  /**
   * Doctors come straight in, always; so does a guest the doctor let in
   * before (coming back after their place expired or the server restarted),
   * while the call has room; everyone else enters the waiting room. One
   * person holds one place (their seat: a link or a doctor account), with the
   * same participant id every time: a doctor joining again replaces their
   * older connection; a guest whose previous connection is lost replaces it,
   * and a guest whose previous connection is still there waits behind it
   * (`link-in-use`) instead of becoming a second participant.
   */
  join(identity: ParticipantIdentity, channel: ParticipantChannel, requestedAt = Date.now()): Participant {
    if (this.#closed) throw new Refusal('consult-closed', 'this consult has ended');
    const holder = this.#roster.holderOf(identity.seat);
    if (holder && identity.role !== 'doctor' && !holder.reconnecting) {
      throw new Refusal('link-in-use', 'this link is open in another window or on another device; close it there to continue here');
    }
    const remembered = this.#memory.seat(identity.seat);
    const inCallWithoutHolder = this.#roster.admitted().filter((other) => other !== holder).length;
    const returning = identity.role !== 'doctor' && this.#returns.mayReturn(identity.seat) && inCallWithoutHolder < this.#options.maxParticipants;
    const admitted = identity.role === 'doctor' || returning;
    if (!admitted && this.#roster.waiting().filter((other) => other !== holder).length >= this.#options.maxWaiting) {
      throw new Refusal('waiting-room-full', `at most ${this.#options.maxWaiting} people can wait for this consult at once`);
    }
    if (holder) this.#replace(holder);
    const participant = new Participant(identity, channel, this.#logger, { id: remembered.participantId, admitted, joinRequestedAt: requestedAt });
    this.#roster.add(participant);
    this.#memory.arrived(participant.id, participant.auditName);
    participant.logger.info({ role: participant.role, admitted, returning }, 'participant joined');
    if (participant.admitted) {
      this.#options.audit(returning ? 'rejoined' : 'joined', participant.auditName);
      this.events.emit('admitted', participant);
      this.#roster.broadcast(participant, 'participantJoined', participant.info());
      if (returning) this.#returns.set(participant, true);
    } else {
      this.#options.audit('arrived-waiting', participant.auditName);
      for (const doctor of this.#roster.admittedDoctors()) doctor.channel.notify('participantArrived', participant.waitingInfo());
      this.#roster.publishWaitingRoom();
    }
    // A doctor arriving changes what everyone waiting sees; so does someone new in line.
    this.#roster.publishWaitingStatuses();
    return participant;
  }

  /** Everything a (re)joining participant needs to know about the consult. */
  viewFor(participant: Participant): Omit<JoinResponse, 'resumeToken'> {
    return this.#view.for(participant);
  }

  sendChat(sender: Participant, text: string, to: string | undefined): ChatMessage {
    this.#assertMember(sender);
    return this.#chat.send(sender, text, to);
  }

  /**
   * The connection behind `channel` dropped. The participant keeps their place
   * (and admission, and media on the server) for the grace period; the others
   * see them as reconnecting. A connection that was already replaced by a
   * resumed one is ignored.
   */
  connectionLost(participant: Participant, channel: ParticipantChannel): void {
    if (!this.#roster.holds(participant) || participant.channel !== channel) return;
    participant.logger.info('participant connection lost; awaiting reconnection');
    participant.suspend(this.#options.reconnectGraceMs, () => this.leave(participant));
    void this.#home.media.videoFlowChanged(participant);
    if (participant.admitted) this.#roster.broadcast(participant, 'participantUpdated', participant.info());
  }

  /**
   * A participant comes back on a new connection, proving it with their
   * resume token. `stillAllowed` checks what their first join checked (their
   * link, the consult); if it throws, they are out for good.
   */
  resume(participantId: string, resumeToken: string, channel: ParticipantChannel, stillAllowed: (participant: Participant) => void): Participant {
    if (this.#closed) throw new Refusal('consult-closed', 'this consult has ended');
    const participant = this.#roster.get(participantId);
    if (!participant || !participant.matchesResumeToken(resumeToken)) throw new Refusal('not-found', 'nothing to resume: join again');
    try {
      stillAllowed(participant);
    } catch (error) {
      this.leave(participant);
      throw error;
    }
    const previous = participant.channel;
    participant.rebind(channel);
    // The old connection may still look alive to us; it must not act for them any more.
    if (previous !== channel) previous.disconnect();
    participant.logger.info('participant reconnected');
    void this.#home.media.videoFlowChanged(participant);
    if (participant.admitted) {
      this.#roster.broadcast(participant, 'participantUpdated', participant.info());
      // Whatever was announced while they were away, they have not heard.
      if (participant.rtpCapabilities) this.#home.media.announceProducersTo(participant);
    }
    return participant;
  }

  admit(doctor: Participant, participantId: string): void {
    this.#assertDoctor(doctor);
    const guest = this.#roster.get(participantId);
    if (!guest || guest.admitted) throw new Refusal('not-found', 'nobody with this id is waiting');
    if (this.#roster.admitted().length >= this.#options.maxParticipants) {
      throw new Refusal('consult-full', `a consult holds at most ${this.#options.maxParticipants} people in the call`);
    }
    guest.admit();
    guest.logger.info({ by: doctor.id }, 'participant admitted');
    this.#options.audit('admitted', doctor.auditName, guest.auditName);
    this.events.emit('admitted', guest);
    guest.channel.notify('admitted', this.#view.admitted(guest));
    this.#roster.broadcast(guest, 'participantJoined', guest.info());
    this.#returns.set(guest, true);
    this.#roster.publishWaitingRoom();
    this.#roster.publishWaitingStatuses();
  }

  /** The doctor decides whether someone they let in may come back without waiting again. */
  allowReturn(doctor: Participant, participantId: string, allowed: boolean): void {
    this.#assertDoctor(doctor);
    const target = this.#roster.get(participantId);
    if (!target || target.role === 'doctor') throw new Refusal('not-found', 'nobody with this id is in the consult');
    this.#returns.set(target, allowed);
  }

  /**
   * Turns a waiting participant away ('denied') or takes an admitted one out
   * of the call ('removed'). They are told why and disconnected; the caller
   * revokes the link they came with.
   */
  dismiss(doctor: Participant, participantId: string, reason: 'denied' | 'removed'): Participant {
    this.#assertDoctor(doctor);
    const target = this.#roster.get(participantId);
    if (!target || target === doctor || target.admitted !== (reason === 'removed')) {
      throw new Refusal('not-found', reason === 'denied' ? 'nobody with this id is waiting' : 'nobody with this id is in the call');
    }
    if (target.role === 'doctor') throw new Refusal('forbidden', 'a doctor cannot be removed');
    target.logger.info({ by: doctor.id, reason }, 'participant dismissed');
    this.#options.audit(reason, doctor.auditName, target.auditName);
    this.#returns.set(target, false);
    this.#sendAway(target, reason);
    return target;
  }

  /** The doctor withdrew an invite link: whoever holds it, waiting or in the call, is out at once and told why. */
  linkWithdrawn(linkId: string): void {
    for (const participant of this.#roster.all()) {
      if (participant.linkId !== linkId) continue;
      participant.logger.info('invite link withdrawn; participant removed');
      this.#options.audit('left', participant.auditName);
      this.#returns.set(participant, false);
      this.#sendAway(participant, 'link-revoked');
    }
  }

  /**
   * The same person joined again: the older connection makes way. What they
   * hold in the consult (what they present, the floor) stays with their seat,
   * and the consult stays open for the newcomer.
   */
  #replace(previous: Participant): void {
    previous.logger.info({ reconnecting: previous.reconnecting }, 'participant replaced by a new connection of the same person');
    this.#options.audit('left', previous.auditName);
    if (!previous.reconnecting) previous.channel.notify('removed', { reason: 'replaced' });
    this.#remove(previous, { replaced: true });
    previous.channel.disconnect();
  }

  #sendAway(participant: Participant, reason: 'denied' | 'removed' | 'link-revoked'): void {
    participant.channel.notify('removed', { reason });
    this.#remove(participant);
    participant.channel.disconnect();
  }

  /** Mutes someone's microphone on the server; unmuting stays theirs to decide. */
  async muteParticipant(doctor: Participant, participantId: string): Promise<void> {
    const target = this.#otherAdmitted(doctor, participantId);
    if (await this.#home.media.pauseMicrophone(target, doctor)) target.channel.notify('mutedByDoctor', { by: doctor.displayName });
  }

  askToUnmute(doctor: Participant, participantId: string): void {
    const target = this.#otherAdmitted(doctor, participantId);
    target.channel.notify('unmuteRequested', { by: doctor.displayName });
  }

  #otherAdmitted(doctor: Participant, participantId: string): Participant {
    this.#assertDoctor(doctor);
    const target = this.#roster.get(participantId);
    if (!target || target === doctor || !target.admitted) throw new Refusal('not-found', 'nobody with this id is in the call');
    return target;
  }

  /** What a participant in the call may do with media; nobody waiting may do any of it. */
  mediaOf(participant: Participant): ConsultMedia {
    this.#assertAdmitted(participant);
    return this.#home.media;
  }

  /** The document shown to everyone, for a participant in the call. */
  viewingOf(participant: Participant): SharedViewing {
    this.#assertAdmitted(participant);
    return this.#viewing;
  }

  /** Consecutive interpretation: hands the floor to or from the interpreter (see InterpretationFloor). */
  floorCue(participant: Participant, cue: FloorCueRequest['cue']): FloorState | null {
    this.#assertAdmitted(participant);
    const interpreter = this.#roster.admitted().find((other) => other.role === 'interpreter');
    if (this.#floor.cue(participant, cue, interpreter)) this.#roster.tellAdmitted('floorChanged', { floor: this.#floor.state });
    return this.#floor.state;
  }

  /** Told by the documents API: a document was added, removed or shared differently. */
  documentsChanged(change: DocumentChange): void {
    if (!this.#closed) this.#viewing.documentsChanged(change);
  }

  /** Ends the consult for everyone. */
  end(doctor: Participant): void {
    this.#assertDoctor(doctor);
    this.#options.audit('consult-ended', doctor.auditName);
    this.close('ended');
  }

  /** For a consult created for a join that never completed. */
  closeIfEmpty(): void {
    if (this.#roster.size === 0) this.close();
  }

  leave(participant: Participant): void {
    if (!this.#roster.holds(participant)) return;
    participant.logger.info('participant left');
    this.#options.audit('left', participant.auditName);
    this.#remove(participant);
  }

  /** `replaced`: the same person is joining again on a new connection (see #replace). */
  #remove(participant: Participant, { replaced = false } = {}): void {
    if (!this.#roster.holds(participant)) return;
    this.#roster.delete(participant);
    participant.close();
    this.#memory.departed(participant.id);
    if (!replaced) {
      this.#viewing.participantLeft(participant);
      if (this.#floor.participantLeft(participant)) this.#roster.tellAdmitted('floorChanged', { floor: this.#floor.state });
    }
    if (participant.admitted) this.#roster.broadcast(participant, 'participantLeft', { participantId: participant.id });
    else this.#roster.publishWaitingRoom();
    this.#roster.publishWaitingStatuses();
    if (this.#roster.size === 0 && !replaced) this.close();
  }

  /**
   * Ends this consult object. Closed for a restart ('server-shutdown'), it
   * keeps what is shown and the floor for when people come back; ended, or
   * left by everyone, it forgets them.
   */
  close(reason?: ConsultCloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const participant of this.#roster.all()) {
      if (reason) participant.channel.notify('consultClosed', { reason });
      this.#options.audit('left', participant.auditName);
      this.#memory.departed(participant.id);
      participant.close();
    }
    this.#roster.clear();
    const keep = reason === 'server-shutdown';
    this.#viewing.close(keep);
    if (!keep) this.#memory.saveFloor(null);
    this.#home.close();
    this.#logger.info({ reason: reason ?? 'empty' }, 'consult closed');
    this.events.emit('closed', reason);
    this.events.clear();
  }

  #assertMember(participant: Participant): void {
    if (this.#closed) throw new Refusal('consult-closed', 'this consult has ended');
    if (participant.closed || !this.#roster.holds(participant)) throw new Refusal('not-joined', 'not in this consult');
  }

  /** No media reaches or leaves anyone the doctor has not let in. */
  #assertAdmitted(participant: Participant): void {
    this.#assertMember(participant);
    if (!participant.admitted) throw new Refusal('not-admitted', 'wait until the doctor lets you in');
  }

  #assertDoctor(participant: Participant): void {
    this.#assertMember(participant);
    if (!isAdmittedDoctor(participant)) throw new Refusal('forbidden', 'only the doctor can do this');
  }
}
