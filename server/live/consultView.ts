// What a participant may know of their consult when they join or come back,
// and when they are let in: one place, so the rules (nobody waiting sees the
// call, its chat, what is shown or how to reach its media) hold everywhere.
import type { ConsultInfo, JoinResponse, ServerToClientEvents } from '../../shared/protocol';
import type { ChatRoom } from './chatRoom';
import type { InterpretationFloor } from './interpretationFloor';
import type { MediaHome } from './mediaHome';
import type { Participant } from './participant';
import type { ReturnPolicy } from './returnPolicy';
import type { Roster } from './roster';
import type { SharedViewing } from './sharedViewing';

export interface ConsultViewParts {
  info: ConsultInfo;
  roster: Roster;
  home: MediaHome;
  returns: ReturnPolicy;
  chat: ChatRoom;
  viewing: SharedViewing;
  floor: InterpretationFloor;
  reconnectGraceMs: number;
}

export type AdmittedEvent = Parameters<ServerToClientEvents['admitted']>[0];

export class ConsultView {
  readonly #parts: ConsultViewParts;

  constructor(parts: ConsultViewParts) {
    this.#parts = parts;
  }

  /** Everything a (re)joining participant needs to know about the consult. */
  for(participant: Participant): Omit<JoinResponse, 'resumeToken'> {
    const { info, roster, home, returns, chat, viewing, floor } = this.#parts;
    return {
      participantId: participant.id,
      role: participant.role,
      displayName: participant.displayName,
      // The title is the doctor's own words about the patient's case: not for the others' screens.
      consult: participant.role === 'doctor' ? info : { ...info, title: null },
      admitted: participant.admitted,
      routerRtpCapabilities: home.media.routerRtpCapabilities,
      mediaAccess: participant.admitted ? this.#parts.home.media.accessFor(participant) : null,
      reconnectGraceMs: this.#parts.reconnectGraceMs,
      mayReturn: returns.listFor(participant),
      participants: roster.othersOf(participant),
      waiting: roster.waitingRoomFor(participant),
      waitingStatus: roster.waitingStatusOf(participant),
      chat: chat.historyFor(participant),
      presentation: viewing.stateFor(participant),
      floor: participant.admitted ? floor.state : null,
    };
  }

  /** What someone just let in learns. */
  admitted(participant: Participant): AdmittedEvent {
    const { roster, chat, viewing, floor } = this.#parts;
    return {
      participants: roster.othersOf(participant),
      presentation: viewing.stateFor(participant),
      floor: floor.state,
      chat: chat.historyFor(participant),
      mediaAccess: this.#parts.home.media.accessFor(participant),
    };
  }
}
