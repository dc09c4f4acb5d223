// Consecutive interpretation, as a visible cue: who has the floor. A speaker
// hands it to the interpreter; the interpreter asks the speaker to pause
// (taking the floor) or hands it back to whoever spoke before. It never mutes
// or blocks anyone: it only tells everyone whose turn it is.
import type { FloorState } from '../../shared/protocol';
import type { FloorCueRequest } from '../../shared/schemas';
import type { Participant } from './participant';
import { Refusal } from '../../shared/refusals';

export class InterpretationFloor {
  #state: FloorState | null;
  /** Told of every change, to keep the floor beyond this consult object's life. */
  readonly #save: (state: FloorState | null) => void;

  /** `restored`: the floor as it was kept (participant ids stay the same for the same person). */
  constructor(restored: FloorState | null, save: (state: FloorState | null) => void) {
    this.#state = restored;
    this.#save = save;
  }

  get state(): FloorState | null {
    return this.#state;
  }

  /**
   * Applies `cue` from `by` (admitted). `interpreter` is the interpreter in
   * the call, if any. Returns whether the floor changed.
   */
  cue(by: Participant, cue: FloorCueRequest['cue'], interpreter: Participant | undefined): boolean {
    const current = this.#state;
    switch (cue) {
      case 'hand-to-interpreter':
        if (by.role === 'interpreter') throw new Refusal('forbidden', 'the interpreter hands the floor back with "go on"');
        if (!interpreter) throw new Refusal('not-found', 'no interpreter is in the call');
        return this.#set({ holderId: interpreter.id, speakerId: by.id, pauseRequested: false });
      case 'ask-to-pause': {
        if (by.role !== 'interpreter') throw new Refusal('forbidden', 'only the interpreter asks the speaker to pause');
        // Whoever has the floor (or had it before the interpreter) is the one asked to pause.
        const speakerId = current && current.holderId !== by.id ? current.holderId : (current?.speakerId ?? null);
        return this.#set({ holderId: by.id, speakerId, pauseRequested: true });
      }
      case 'hand-back':
        if (by.role !== 'interpreter') throw new Refusal('forbidden', 'only the interpreter hands the floor back');
        if (current?.holderId !== by.id) throw new Refusal('forbidden', 'the interpreter does not have the floor');
        return current.speakerId ? this.#set({ holderId: current.speakerId, speakerId: null, pauseRequested: false }) : this.clear();
      case 'clear':
        if (current && current.holderId !== by.id && by.role !== 'doctor' && by.role !== 'interpreter') {
          throw new Refusal('forbidden', 'only whoever has the floor, the interpreter or the doctor can clear it');
        }
        return this.clear();
    }
  }

  /** Someone left: the floor does not stay with, or go back to, someone who is gone. */
  participantLeft(participant: Participant): boolean {
    const current = this.#state;
    if (!current) return false;
    if (current.holderId === participant.id) return this.clear();
    if (current.speakerId === participant.id) {
      this.#state = { ...current, speakerId: null };
      this.#save(this.#state);
      return true;
    }
    return false;
  }

  clear(): boolean {
    const changed = this.#state !== null;
    this.#state = null;
    if (changed) this.#save(null);
    return changed;
  }

  #set(state: Omit<FloorState, 'since'>): boolean {
    this.#state = { ...state, since: new Date().toISOString() };
    this.#save(this.#state);
    return true;
  }
}
