// The budgets for checking an uploaded file. Each one bounds the time or the
// memory a single upload can cost the server, whoever sends it; the README
// lists them with what a refusal says.
import type { HeaderLimits } from './dicomHeaderRead';

/**
 * A DICOM header: real ones hold a few hundred elements (an enhanced
 * multi-frame study with thousands of frames, tens of thousands) and take
 * kilobytes to a few megabytes.
 */
export const dicomHeaderLimits: HeaderLimits = {
  maxHeaderBytes: 16 * 1024 * 1024,
  maxElements: 200_000,
  maxDepth: 32,
};

export const studyArchiveLimits = {
  /** More entries than any study we expect. */
  maxEntries: 20_000,
  /** Uncompressed ÷ compressed, above which an entry is taken for a zip bomb... */
  maxCompressionRatio: 200,
  /** ...when it unpacks to more than this (small files compress oddly well without harm). */
  ratioCheckedAboveBytes: 1024 * 1024,
};

/** Wall-clock time a checking worker may spend on one task before it is stopped and the file refused. */
export const checkTimeBudgetMs = {
  /**
   * One DICOM file's header: about a second at the element budget on one of
   * this machine's cores, four when the CPU is busy (the workers run at a
   * lower priority), so a refusal means a file far beyond any real one.
   */
  file: 30_000,
  /** A study zip: unpacking and checking every image in it. */
  archive: 180_000,
};
