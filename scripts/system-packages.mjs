// Debian packages the project needs, grouped by what needs them.
// scripts/setup.mjs installs the missing ones with apt-get when run as root.

/** Shared libraries the mediasoup worker binary links against at run time. */
export const workerRuntimePackages = ['libssl3', 'libuv1', 'libsrtp2-1', 'libusrsctp2', 'libabsl20220623'];

/**
 * The fonts the written opinion's PDF is set in: Noto Sans for Latin, Greek and Cyrillic, Noto
 * Naskh Arabic for Arabic and Persian, Noto Sans Hebrew, and Noto Sans CJK for Chinese (with
 * Japanese and Korean) (server/review/pdfText.ts). OFL-licensed, from Debian.
 */
export const pdfFontPackages = ['fonts-noto-core', 'fonts-noto-cjk'];

/** Toolchain and -dev libraries to build the worker offline (scripts/mediasoup-worker/). */
export const workerBuildPackages = [
  'build-essential',
  'pkg-config',
  'patch',
  'meson',
  'ninja-build',
  'libssl-dev',
  'libuv1-dev',
  'libsrtp2-dev',
  'libusrsctp-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
];

/** The TURN server, when TURN is enabled (TURN_SECRET): Consilium writes its configuration (npm run turn-config). */
export const turnPackages = ['coturn'];

/**
 * The browser the end-to-end tests drive, with a font so screenshots are legible; the tools the
 * network tests use to put a browser in a network namespace of its own and cut or filter its link;
 * the TURN server and the reverse proxy they run as real components, openssl for test
 * certificates, and poppler's pdftotext and pdftoppm to read back the opinion PDF.
 */
export const browserTestPackages = ['chromium', 'fonts-dejavu-core', 'iproute2', 'nftables', 'coturn', 'nginx-light', 'openssl', 'poppler-utils'];
