// ConsultMemory kept in a Map, for tests of the live consult without a database.
import { randomUUID } from 'node:crypto';
import type { ConsultMemory, RememberedSeat, StoredPresentation } from '../../server/live/consultMemory';
import type { FloorState } from '../../shared/protocol';

export class MemoryInMemory implements ConsultMemory {
  readonly seats = new Map<string, RememberedSeat>();
  readonly present = new Map<string, string>();
  stored: StoredPresentation | null = null;
  storedFloor: FloorState | null = null;

  seat(seat: string): RememberedSeat {
    let remembered = this.seats.get(seat);
    if (!remembered) {
      remembered = { participantId: randomUUID(), admitted: false };
      this.seats.set(seat, remembered);
    }
    return { ...remembered };
  }

  rememberAdmission(seat: string, admitted: boolean): void {
    this.seats.set(seat, { ...this.seat(seat), admitted });
  }

  arrived(participantId: string, auditName: string): void {
    this.present.set(participantId, auditName);
  }

  departed(participantId: string): void {
    this.present.delete(participantId);
  }

  presentation(): StoredPresentation | null {
    return this.stored;
  }

  savePresentation(presentation: StoredPresentation | null): void {
    this.stored = presentation;
  }

  floor(): FloorState | null {
    return this.storedFloor;
  }

  saveFloor(floor: FloorState | null): void {
    this.storedFloor = floor;
  }
}
