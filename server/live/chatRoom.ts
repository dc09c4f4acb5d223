// A consult's chat. In the call, a message goes to everyone admitted; while no
// patient is in the call (the pre-brief), it stays with the care team for
// good. Someone waiting can write only to the doctors (a private thread), and
// only a doctor can write into such a thread. History follows the same rules.
import type { ChatMessage } from '../../shared/protocol';
import { Refusal } from '../../shared/refusals';
import { BurstLimiter } from './burstLimiter';
import type { Participant } from './participant';
import { isAdmittedDoctor, type Roster } from './roster';

/** Where a consult's chat is kept (the registry binds it to the database). */
export interface ChatArchive {
  add(from: ChatMessage['from'], audience: Pick<ChatMessage, 'thread' | 'careTeam'>, text: string): ChatMessage;
  list(): ChatMessage[];
}

export class ChatRoom {
  readonly #archive: ChatArchive;
  readonly #roster: Roster;
  /** Flood guard. */
  readonly #burst = new BurstLimiter<Participant>(10, 10_000, 'messages');

  constructor(archive: ChatArchive, roster: Roster) {
    this.#archive = archive;
    this.#roster = roster;
  }

  /** `to`: someone waiting, for a doctor's private message; undefined for everyone (or, from someone waiting, the doctors). */
  send(sender: Participant, text: string, to: string | undefined): ChatMessage {
    let thread: string | null = null;
    if (!sender.admitted) {
      if (to !== undefined) throw new Refusal('forbidden', 'while waiting, messages go to the doctor');
      thread = sender.id;
    } else if (to !== undefined) {
      if (!isAdmittedDoctor(sender)) throw new Refusal('forbidden', 'only the doctor writes to someone waiting');
      const recipient = this.#roster.get(to);
      if (!recipient || recipient.admitted) throw new Refusal('not-found', 'nobody with this id is waiting');
      thread = recipient.id;
    }
    this.#burst.take(sender);
    const careTeam = thread === null && !this.#roster.patientInCall();
    const message = this.#archive.add({ participantId: sender.id, displayName: sender.displayName, role: sender.role }, { thread, careTeam }, text);
    for (const participant of this.#roster.all()) {
      if (mayRead(participant, message)) participant.channel.notify('chatMessage', message);
    }
    return message;
  }

  historyFor(participant: Participant): ChatMessage[] {
    return this.#archive.list().filter((message) => mayRead(participant, message));
  }
}

function mayRead(participant: Participant, message: ChatMessage): boolean {
  if (message.careTeam) return participant.admitted && participant.role !== 'patient';
  if (message.thread === null) return participant.admitted;
  return participant.id === message.thread || isAdmittedDoctor(participant);
}
