// Why a DICOM image cannot be shown in the browser, for every decoder alike.

/** Why an image cannot be shown; the viewer says so in the reader's language. */
export type DicomProblem =
  | { reason: 'damaged' | 'no-image' | 'truncated' | 'malformed-rle' }
  | { reason: 'compression' | 'colour-model'; name: string }
  | { reason: 'bit-depth'; bits: number };

export class UnsupportedDicom extends Error {
  override name = 'UnsupportedDicom';
  readonly problem: DicomProblem;

  constructor(problem: DicomProblem) {
    super(`cannot display this DICOM image: ${JSON.stringify(problem)}`);
    this.problem = problem;
  }
}
