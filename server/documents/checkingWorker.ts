// The code a checking worker runs (see checkingPool): every CPU-heavy look
// at uploaded bytes happens here, on a worker thread, so the server's main
// thread (signalling, every live call) never waits for it.
//
// Refusals cross the thread boundary as plain data (classes do not survive
// structured cloning); the pool turns them back into Refusals.
import type { MessagePort } from 'node:worker_threads';
import { inspectDicomFile, type InspectedInstance } from './dicomInspector';
import { planStudyArchive, unpackStudy, type ArchiveLimits, type ArchivePlan, type UnpackedStudy } from './studyArchive';
import { Refusal, type RefusalReason } from '../../shared/refusals';

export type CheckingTask =
  | { kind: 'inspect-dicom'; path: string }
  | { kind: 'plan-archive'; path: string; limits: ArchiveLimits }
  | { kind: 'unpack-archive'; path: string; intoDir: string; plan: ArchivePlan; limits: ArchiveLimits };

export interface CheckingResults {
  'inspect-dicom': InspectedInstance;
  'plan-archive': ArchivePlan;
  'unpack-archive': UnpackedStudy;
}

export type CheckingOutcome<K extends CheckingTask['kind']> =
  | { ok: true; value: CheckingResults[K] }
  | { ok: false; refusal: RefusalReason };

/** What the pool sends: the task, and a port to say when work on it begins (its time budget starts then). */
export interface CheckingMessage {
  task: CheckingTask;
  started: MessagePort;
}

export default async function check({ task, started }: CheckingMessage): Promise<CheckingOutcome<CheckingTask['kind']>> {
  started.postMessage('started');
  started.close();
  try {
    return { ok: true, value: await run(task) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, refusal: error.reason };
    throw error;
  }
}

function run(task: CheckingTask): Promise<CheckingResults[CheckingTask['kind']]> {
  switch (task.kind) {
    case 'inspect-dicom':
      return inspectDicomFile(task.path);
    case 'plan-archive':
      return planStudyArchive(task.path, task.limits);
    case 'unpack-archive':
      return unpackStudy(task.path, task.intoDir, task.plan, task.limits);
  }
}
