// Letting someone in or turning them away, from wherever the doctor is: the
// arrival notice over the call, the control bar, the waiting room drawer.
// One state for all of them, so a refusal ("the call is full") shows once.
import { useState } from 'react';
import { RequestFailure } from '../api/requestFailure';
import type { ConsultSession } from '../call/consultSession';

export interface Admission {
  /** The participant whose admission or denial is on its way. */
  busy: string | undefined;
  /** The refusal code of the last attempt that failed. */
  failure: string | undefined;
  admit: (participantId: string) => void;
  deny: (participantId: string) => void;
}

export function useAdmission(session: ConsultSession): Admission {
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const act = (participantId: string, action: () => Promise<void>) => {
    setBusy(participantId);
    setFailure(undefined);
    action()
      .catch((error: unknown) => {
        console.warn('waiting room action failed', error);
        setFailure(error instanceof RequestFailure ? error.code : 'generic');
      })
      .finally(() => setBusy(undefined));
  };
  return {
    busy,
    failure,
    admit: (participantId) => act(participantId, () => session.admit(participantId)),
    deny: (participantId) => act(participantId, () => session.deny(participantId)),
  };
}
