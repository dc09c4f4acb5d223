// Fuzzing the boundary: every Socket.IO event and every HTTP body, with
// payloads generated from the shared schemas (valid ones, near misses and
// garbage), from every kind of connection (not joined, waiting, in the call,
// the doctor). Whatever arrives, the server must not crash, must not leave a
// promise rejected unhandled, must answer with a documented error code (and
// never `internal-error`, which means a bug), and must stay responsive.
//
// The seed is fixed, so a failure reproduces; FUZZ_RUNS=<n> runs more cases
// (the default keeps `npm test` quick), FUZZ_SEED=<n> tries another sequence.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ConsiliumServer } from '../../server/consiliumServer';
import { z } from 'zod';
import {
  createConsultRequestSchema,
  createInviteLinkRequestSchema,
  loginRequestSchema,
  registerDoctorRequestSchema,
  type CreatedInviteLink,
} from '../../shared/api';
import { documentAccessRequestSchema } from '../../shared/documents';
import { emptyIntakeAnswers, saveIntakeRequestSchema, saveIntakeTranslationRequestSchema } from '../../shared/intake';
import { releaseOpinionRequestSchema, saveOpinionDraftRequestSchema, saveOpinionTranslationRequestSchema } from '../../shared/opinion';
import type { JoinResponse } from '../../shared/protocol';
import { isRefusalCode } from '../../shared/refusals';
import { clientEvents, requestSchemas, type ClientEvent } from '../../shared/requests';
import { shortInviteCodeAlphabet, shortInviteCodeLength, shortInviteCodeSchema } from '../../shared/schemas';
import { ConsultClients } from '../helpers/consultClients';
import { createConsult, createDoctor, createInviteToken, type DoctorFixture } from '../helpers/consultFixtures';
import { dicomImage } from '../helpers/dicomFiles';
import { DocumentRequests, headersFor, type Credentials } from '../helpers/documentRequests';
import { payloadArbitrary } from '../helpers/schemaArbitrary';
import { ask, expectOk, type TestSocket } from '../helpers/signallingClient';
import { startTestServer } from '../helpers/testServer';

const runs = Number(process.env['FUZZ_RUNS'] ?? 2000);
const seed = Number(process.env['FUZZ_SEED'] ?? 20261202);

type Who = 'stranger' | 'waiting' | 'guest' | 'doctor';

/** One consult with a doctor, an admitted patient, a waiting interpreter and a connection that has not joined. */
interface Fixture {
  consultId: string;
  sockets: Record<Who, TestSocket>;
}

describe('fuzzing every event and body', function () {
  this.timeout(Math.max(120_000, runs * 200));
  let server: ConsiliumServer;
  let doctor: DoctorFixture;
  const clients = new ConsultClients(() => server);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await startTestServer({ LOGIN_ATTEMPTS_PER_15_MIN: '1000' });
    doctor = await createDoctor(server);
  });
  after(async () => {
    clients.closeAll();
    await server?.close();
    process.off('unhandledRejection', onUnhandled);
  });

  async function freshFixture(): Promise<Fixture> {
    const consultId = createConsult(server, doctor);
    const { socket: doctorSocket } = await clients.doctorJoins(consultId, doctor);
    const guest = await clients.admittedGuest(consultId, doctorSocket, 'patient', 'Amira Haddad');
    await expectOk(guest.socket, 'createTransport', { direction: 'receive' });
    const waiting = await clients.guestJoins(consultId, 'interpreter', 'Elena Petrova');
    const stranger = await clients.connect();
    return { consultId, sockets: { stranger, waiting: waiting.socket, guest: guest.socket, doctor: doctorSocket } };
  }

  /** After a case that left, ended the consult or was disconnected, start again from a whole fixture. */
  function broken(fixture: Fixture): boolean {
    const consult = server.registry.get(fixture.consultId);
    return !consult || consult.participants.size < 3 || Object.values(fixture.sockets).some((socket) => !socket.connected);
  }

  async function assertResponsive(): Promise<void> {
    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    assert.equal(health.status, 200, 'the server answers its health check');
    const consultId = createConsult(server, doctor);
    const { socket } = await clients.doctorJoins(consultId, doctor);
    await expectOk(socket, 'leave');
  }

  it('answers every Socket.IO request with ok or a documented refusal, and stays up', async () => {
    let fixture = await freshFixture();
    const eventArbitrary = fc.constantFrom(...clientEvents).chain((event: ClientEvent) =>
      fc.record({
        event: fc.constant(event),
        who: fc.constantFrom<Who>('stranger', 'waiting', 'guest', 'doctor'),
        // Nothing: the event with only its acknowledgement, as `leave` is sent.
        payload: fc.option(payloadArbitrary(requestSchemas[event]), { freq: 8 }),
      }),
    );
    let cases = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(eventArbitrary, async ({ event, who, payload }) => {
        if (broken(fixture)) fixture = await freshFixture();
        const socket = fixture.sockets[who];
        const answer = payload === null ? await ask(socket, event) : await ask(socket, event, payload);
        assert.equal(typeof answer?.ok, 'boolean', `an answer to ${event}`);
        if (!answer.ok) {
          assert.ok(isRefusalCode(answer.error.code), `${answer.error.code} is documented`);
          assert.notEqual(answer.error.code, 'internal-error', `${event} from ${who} failed inside the server: ${answer.error.message}`);
          assert.equal(typeof answer.error.message, 'string');
        }
        const outcome = `${event} ${answer.ok ? 'ok' : answer.error.code}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        cases += 1;
        if (cases % 500 === 0) await assertResponsive();
      }),
      { seed, numRuns: runs, endOnFailure: true },
    );
    if (process.env['FUZZ_REPORT']) console.log([...outcomes].sort().map(([outcome, count]) => `${count}\t${outcome}`).join('\n'));
    // The generated requests reach past validation into the handlers, not only the schema checks.
    const accepted = [...outcomes].filter(([outcome]) => outcome.endsWith(' ok')).reduce((sum, [, count]) => sum + count, 0);
    const pastValidation = [...outcomes].filter(([outcome]) => !outcome.endsWith(' invalid-payload')).reduce((sum, [, count]) => sum + count, 0);
    assert.ok(accepted > 0 && pastValidation > runs / 4, `${accepted} accepted, ${pastValidation} of ${runs} past validation`);
    await assertResponsive();
    assert.deepEqual(unhandled, [], 'no promise was left rejected');
  });

  it('answers every HTTP body with a result or a documented error, and stays up', async () => {
    const documents = new DocumentRequests(() => server.port);
    const consultId = createConsult(server, doctor);
    const patient = await createInviteToken(server, consultId, 'patient');
    const uploaded = await documents.upload(consultId, { cookie: doctor.cookie }, 'scan.dcm', dicomImage({ rows: 4, columns: 4, pixels: [] }));
    const documentId = ((await uploaded.json()) as { document: { id: string } }).document.id;
    const guest = await clients.guestJoins(consultId, 'interpreter', 'Elena Petrova');
    void (guest.join satisfies JoinResponse);
    const base = `http://127.0.0.1:${server.port}/api`;

    // The written work has a consult each: the patient's case (which a saved opinion draft would lock
    // for good) and the opinion. Links are made as the doctor's page makes them, so that the patient's
    // has a short code to resolve.
    const caseConsult = createConsult(server, doctor);
    const opinionConsult = createConsult(server, doctor);
    const linkFor = async (id: string, role: 'patient' | 'interpreter'): Promise<CreatedInviteLink> => {
      const created = await fetch(`${base}/consults/${id}/links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: doctor.cookie },
        body: JSON.stringify({ role }),
      });
      assert.equal(created.status, 201);
      return (await created.json()) as CreatedInviteLink;
    };
    const casePatient = await linkFor(caseConsult, 'patient');
    const caseInterpreter = await linkFor(caseConsult, 'interpreter');
    const opinionPatient = await linkFor(opinionConsult, 'patient');
    const opinionInterpreter = await linkFor(opinionConsult, 'interpreter');
    const code = casePatient.link.code;
    assert.ok(code, 'a fresh link has a short code');
    // The short code works before it is fuzzed (and before the per-address limit is reached).
    // One revision of the case, for the interpreter's translations to be of.
    const firstAnswers = await fetch(`${base}/consults/${caseConsult}/intake`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${casePatient.token}` },
      body: JSON.stringify({ answers: emptyIntakeAnswers, language: 'en', baseRevision: 0 }),
    });
    assert.equal(firstAnswers.status, 200);
    const resolved = await fetch(`${base}/invite/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    assert.equal(resolved.status, 200);

    type Caller = 'nobody' | 'doctor' | 'patient' | 'interpreter';
    const callers: Caller[] = ['nobody', 'doctor', 'patient', 'interpreter'];
    /** Each caller's credentials for a consult: the doctor's cookie works for all, a link for its own. */
    const credentialsFor = (caller: Caller, consult: 'case' | 'opinion'): Credentials => {
      if (caller === 'doctor') return { cookie: doctor.cookie };
      if (caller === 'patient') return { token: consult === 'case' ? casePatient.token : opinionPatient.token };
      if (caller === 'interpreter') return { token: consult === 'case' ? caseInterpreter.token : opinionInterpreter.token };
      return {};
    };
    // Codes: the schema's input (any short string), well-formed but unknown ones, and the real one as people type it.
    const codeArbitrary = fc.oneof(
      payloadArbitrary(z.strictObject({ code: shortInviteCodeSchema })),
      fc.string({ unit: fc.constantFrom(...shortInviteCodeAlphabet), minLength: shortInviteCodeLength, maxLength: shortInviteCodeLength }).map((text) => ({ code: text })),
      fc.constantFrom(code, code.toLowerCase(), `${code.slice(0, 7)}-${code.slice(7)}`, code.slice(1)).map((text) => ({ code: text })),
    );

    // Translations of any revision, and of the one there is (a generated number is rarely it).
    const translationArbitrary = fc.oneof(
      payloadArbitrary(saveIntakeTranslationRequestSchema),
      payloadArbitrary(saveIntakeTranslationRequestSchema.extend({ ofRevision: z.literal(1) })),
    );

    // Each endpoint with who may call it; a fifth of the cases come from someone else.
    const endpoints = [
      { method: 'POST', path: '/session', body: payloadArbitrary(loginRequestSchema), caller: 'nobody', consult: 'case' },
      { method: 'POST', path: '/doctors', body: payloadArbitrary(registerDoctorRequestSchema), caller: 'nobody', consult: 'case' },
      { method: 'POST', path: '/consults', body: payloadArbitrary(createConsultRequestSchema), caller: 'doctor', consult: 'case' },
      { method: 'POST', path: `/consults/${consultId}/links`, body: payloadArbitrary(createInviteLinkRequestSchema), caller: 'doctor', consult: 'case' },
      { method: 'PATCH', path: `/consults/${consultId}/documents/${documentId}`, body: payloadArbitrary(documentAccessRequestSchema), caller: 'doctor', consult: 'case' },
      { method: 'POST', path: '/doctor-invitations', body: fc.anything({ maxDepth: 2 }), caller: 'doctor', consult: 'case' },
      { method: 'PUT', path: `/consults/${caseConsult}/intake`, body: payloadArbitrary(saveIntakeRequestSchema), caller: 'patient', consult: 'case' },
      { method: 'PUT', path: `/consults/${caseConsult}/intake/translation`, body: translationArbitrary, caller: 'interpreter', consult: 'case' },
      { method: 'PUT', path: `/consults/${opinionConsult}/opinion/draft`, body: payloadArbitrary(saveOpinionDraftRequestSchema), caller: 'doctor', consult: 'opinion' },
      { method: 'PUT', path: `/consults/${opinionConsult}/opinion/translation`, body: payloadArbitrary(saveOpinionTranslationRequestSchema), caller: 'interpreter', consult: 'opinion' },
      { method: 'POST', path: `/consults/${opinionConsult}/opinion/release`, body: payloadArbitrary(releaseOpinionRequestSchema), caller: 'doctor', consult: 'opinion' },
      // 20 a minute from one address: past that, `rate-limited` is its documented answer.
      { method: 'POST', path: '/invite/resolve', body: codeArbitrary, caller: 'nobody', consult: 'case' },
    ] as const;
    const callerArbitrary = (endpoint: (typeof endpoints)[number]) =>
      fc.oneof({ weight: 4, arbitrary: fc.constant<Caller>(endpoint.caller) }, { weight: 1, arbitrary: fc.constantFrom(...callers) });
    /** An endpoint as the report names it, without the generated ids. */
    const label = (endpoint: (typeof endpoints)[number]): string =>
      `${endpoint.method} ${[consultId, caseConsult, opinionConsult, documentId].reduce((path, id) => path.replaceAll(id, ':id'), endpoint.path)}`;
    const requestArbitrary = fc.constantFrom(...endpoints).chain((endpoint) =>
      fc.oneof(
        fc.record({ endpoint: fc.constant(endpoint), caller: callerArbitrary(endpoint), body: fc.anything({ maxDepth: 3 }), raw: fc.option(fc.string({ unit: 'binary', maxLength: 200 })) }),
        fc.record({ endpoint: fc.constant(endpoint), caller: callerArbitrary(endpoint), body: endpoint.body, raw: fc.constant(null) }),
      ),
    );
    let cases = 0;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async ({ endpoint, caller, body, raw }) => {
        const response = await fetch(`${base}${endpoint.path}`, {
          method: endpoint.method,
          headers: { 'content-type': 'application/json', ...headersFor(credentialsFor(caller, endpoint.consult)) },
          body: raw ?? JSON.stringify(body ?? null),
        });
        const answer = await assertDocumentedAnswer(response, `${endpoint.method} ${endpoint.path}`);
        const outcome = `${label(endpoint)} ${answer}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        cases += 1;
        if (cases % 250 === 0) await assertResponsive();
      }),
      { seed, numRuns: Math.ceil((runs * 3) / 8), endOnFailure: true },
    );
    if (process.env['FUZZ_REPORT']) console.log([...outcomes].sort().map(([outcome, count]) => `${count}\t${outcome}`).join('\n'));
    // Each endpoint was reached past its rate limit, and the written work past validation into its rules.
    for (const endpoint of endpoints) {
      const reached = [...outcomes].filter(([outcome]) => outcome.startsWith(`${label(endpoint)} `) && !outcome.endsWith(' rate-limited'));
      assert.ok(reached.length > 0, `${label(endpoint)} was fuzzed`);
    }
    for (const path of ['/intake', '/intake/translation', '/opinion/draft', '/opinion/translation', '/opinion/release']) {
      const pastValidation = [...outcomes].filter(([outcome]) => outcome.includes(`:id${path} `) && !/ (invalid-payload|forbidden|unauthenticated|not-found)$/.test(outcome));
      assert.ok(pastValidation.length > 0, `${path} was reached past validation: ${[...outcomes.keys()].filter((outcome) => outcome.includes(`:id${path} `)).join(', ')}`);
    }

    // Uploads and reads: names, query strings, paths and bytes from anywhere.
    const uploadArbitrary = fc.record({
      name: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('../../x.pdf', 'a\u202eb.pdf', '')),
      bytes: fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(Buffer.from('%PDF-1.4\n%%EOF'), Buffer.from('PK\u0003\u0004'), dicomImage({ rows: 2, columns: 2, pixels: [] }).subarray(0, 200))),
      path: fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }).map((text) => `/${encodeURIComponent(text)}`), fc.uuid().map((id) => `/${id}/content`), fc.constant(`/${documentId}/instances/99`)),
      asPatient: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(uploadArbitrary, async ({ name, bytes, path, asPatient }) => {
        const credentials = asPatient ? { token: patient.token } : { cookie: doctor.cookie };
        const upload = await documents.upload(consultId, credentials, name, bytes);
        await assertDocumentedAnswer(upload, 'an upload');
        const read = await documents.get(consultId, path, credentials);
        if (!read.ok) await assertDocumentedAnswer(read, `GET documents${path}`);
        else await read.arrayBuffer();
      }),
      { seed, numRuns: Math.ceil(runs / 8), endOnFailure: true },
    );
    await assertResponsive();
    assert.deepEqual(unhandled, [], 'no promise was left rejected');
  });
});

/** Asserts the answer is a success or a documented refusal; returns the status (success) or the refusal's code. */
async function assertDocumentedAnswer(response: Response, what: string): Promise<string> {
  assert.ok(response.status < 500, `${what} answered ${response.status}: ${await response.clone().text()}`);
  if (response.status < 400) {
    await response.arrayBuffer();
    return String(response.status);
  }
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  assert.ok(isRefusalCode(body.error?.code), `${what}: ${String(body.error?.code)} is documented`);
  assert.equal(typeof body.error?.message, 'string');
  return body.error.code;
}
