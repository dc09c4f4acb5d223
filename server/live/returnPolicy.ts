// Who may come back into the call without waiting to be let in again: anyone
// the doctor let in, until the doctor says otherwise or removes them. Kept in
// the consult's memory (it outlives a restart); doctors are told every change.
import type { ConsultMemory } from './consultMemory';
import type { Participant } from './participant';
import { isAdmittedDoctor, type Roster } from './roster';

export class ReturnPolicy {
  readonly #memory: ConsultMemory;
  readonly #roster: Roster;

  constructor(memory: ConsultMemory, roster: Roster) {
    this.#memory = memory;
    this.#roster = roster;
  }

  /** Whether someone of this seat comes straight back in (doctors always do). */
  mayReturn(seat: string): boolean {
    return this.#memory.seat(seat).admitted;
  }

  set(participant: Participant, allowed: boolean): void {
    this.#memory.rememberAdmission(participant.seat, allowed);
    for (const doctor of this.#roster.admittedDoctors()) doctor.channel.notify('returnChanged', { participantId: participant.id, mayReturn: allowed });
  }

  /** For a doctor: the guests in the call who may come back without waiting. */
  listFor(viewer: Participant): string[] {
    if (!isAdmittedDoctor(viewer)) return [];
    return this.#roster
      .admitted()
      .filter((participant) => participant.role !== 'doctor' && this.mayReturn(participant.seat))
      .map((participant) => participant.id);
  }
}
